/**
 * Session tokens minted with the server's JWT_SECRET, in the exact format of
 * src/modules/auth/token.service.ts (HS256; claims sub, org, tv, iat, exp):
 * thousands of virtual users without thousands of logins.
 */
import { createHmac } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function mintToken(
  secret: string,
  employeeId: string,
  orgId: string,
  tokenVersion = 0,
  ttlSeconds = 6 * 3600,
): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { sub: employeeId, org: orgId, tv: tokenVersion, iat, exp: iat + ttlSeconds };
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The claims of a token minted above when the signature matches (for the baselines), else null. */
export function verifyToken(secret: string, token: string): { sub: string; org: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const mac = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (mac !== parts[2]) return null;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {
    sub: string;
    org: string;
    exp: number;
  };
  return claims.exp * 1000 > Date.now() ? claims : null;
}
