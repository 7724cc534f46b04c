import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from 'src/core/config/app-config';

export interface SessionClaims {
  /** Employee id. */
  sub: string;
  org: string;
  /** The employee's token version when signed; a bump revokes the token. */
  tv: number;
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Signed, expiring session tokens (JWT, HS256). */
@Injectable()
export class TokenService {
  constructor(private readonly config: AppConfig) {}

  sign(employeeId: string, orgId: string, tokenVersion: number, now = Date.now()): string {
    const iat = Math.floor(now / 1000);
    const claims: SessionClaims = {
      sub: employeeId,
      org: orgId,
      tv: tokenVersion,
      iat,
      exp: iat + this.config.sessionTtlSeconds,
    };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a valid, unexpired token; null otherwise. */
  verify(token: string, now = Date.now()): SessionClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return null;
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as SessionClaims;
      if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || typeof claims.exp !== 'number')
        return null;
      if (claims.exp * 1000 <= now) return null;
      return claims;
    } catch {
      return null;
    }
  }

  private mac(data: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(data).digest('base64url');
  }
}
