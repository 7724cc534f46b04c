import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { Actor } from 'src/core/authz/actor';
import { PrincipalResolver } from 'src/core/authz/principal-resolver';
import { AppError } from 'src/core/errors/app-error';
import { OrganizationRows } from 'src/modules/org/org.fragments';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { ApiKeysRepository } from './api-keys.repository';
import { hashSecret, parseApiKey } from './api-keys.service';
import { TokenService } from './token.service';

const TOUCH_INTERVAL_MS = 60_000;
const POLICY_VERSIONS = OrganizationRows.policyVersions();

/**
 * Resolves `Authorization: Bearer <token>` to the caller with one statement:
 * a session token (checked against the employee's status and token version,
 * so suspension and departure revoke it at once) or an API key secret.
 */
@Injectable()
export class PrincipalService implements PrincipalResolver {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly tokens: TokenService,
    private readonly employees: EmployeesService,
    private readonly keys: ApiKeysRepository,
  ) {}

  async resolve(authorization: string | undefined): Promise<Actor | null> {
    if (!authorization) return null;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw AppError.unauthenticated('Authorization must be "Bearer <token>"');
    const token = m[1];
    const key = parseApiKey(token);
    return key ? this.fromApiKey(token, key.prefix) : this.fromSession(token);
  }

  private async fromSession(token: string): Promise<Actor> {
    const claims = this.tokens.verify(token);
    if (!claims) throw AppError.unauthenticated('The session token is invalid or expired');
    const e = await this.employees.findPrincipal(claims.sub);
    if (!e || e.orgId !== claims.org || e.tokenVersion !== claims.tv || e.status !== 'ACTIVE') {
      throw AppError.unauthenticated('The session has ended');
    }
    return {
      kind: 'employee',
      orgId: e.orgId,
      subject: `emp:${e.id}`,
      employeeId: e.id,
      departmentId: e.departmentId,
      policyVersion: e.policyVersion,
    };
  }

  private async fromApiKey(token: string, prefix: string): Promise<Actor> {
    const row = await this.keys.findPrincipal(prefix, POLICY_VERSIONS);
    const expected = Buffer.from(row?.secretHash ?? '0'.repeat(64), 'hex');
    const given = Buffer.from(hashSecret(token), 'hex');
    if (!row || !timingSafeEqual(expected, given) || row.revokedAt) {
      throw AppError.unauthenticated('The API key is invalid or revoked');
    }
    const now = Date.now();
    if ((this.lastTouched.get(row.id) ?? 0) + TOUCH_INTERVAL_MS < now) {
      this.lastTouched.set(row.id, now);
      await this.keys.touch(row.id);
    }
    return {
      kind: 'apiKey',
      orgId: row.orgId,
      subject: `key:${row.id}`,
      apiKeyId: row.id,
      policyVersion: row.policyVersion,
    };
  }
}
