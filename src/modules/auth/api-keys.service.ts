import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Actor, apiKeySubject } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { PolicyRepository } from 'src/core/authz/policy.repository';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { EventBus } from 'src/core/realtime/event-bus';
import { publishPrincipalChanged } from 'src/core/realtime/principal-events';
import { AppError } from 'src/core/errors/app-error';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { ApiKeysRepository } from './api-keys.repository';
import { CreateApiKeyInput } from './dto/auth.inputs';
import { ApiKeyEntity } from './entities/api-key.entity';

export const API_KEY_PREFIX = 'wk';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `wk_<prefix>_<secret>`: the prefix finds the key, the whole string is hashed. */
export function parseApiKey(token: string): { prefix: string } | null {
  const m = /^wk_([a-z0-9]{12})_[A-Za-z0-9_-]{43}$/.exec(token);
  return m ? { prefix: m[1] } : null;
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly keys: ApiKeysRepository,
    private readonly policies: PolicyRepository,
    private readonly employees: EmployeesService,
    private readonly authz: AuthzService,
    private readonly bus: EventBus,
  ) {}

  list(orgId: string): Promise<ApiKeyEntity[]> {
    return this.keys.list(orgId);
  }

  rolesOfMany(orgId: string, ids: string[]): Promise<Map<string, string[]>> {
    return this.policies.rolesOfMany(orgId, ids.map(apiKeySubject));
  }

  async create(actor: Actor, input: CreateApiKeyInput): Promise<{ key: ApiKeyEntity; secret: string }> {
    const roles = [...new Set(input.roles)];
    const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
    const secret = `${API_KEY_PREFIX}_${prefix}_${randomBytes(32).toString('base64url')}`;
    const key = await this.uow.run(async (m) => {
      await this.employees.assertRolesExist(m, actor.orgId, roles, 'input.roles');
      const k = await this.keys.insert(m, {
        orgId: actor.orgId,
        name: input.name.trim(),
        prefix,
        secretHash: hashSecret(secret),
        createdById: actor.employeeId ?? null,
      });
      await this.policies.replaceRoles(m, actor.orgId, apiKeySubject(k.id), roles);
      return k;
    });
    this.authz.invalidate(actor.orgId);
    return { key, secret };
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findById(actor.orgId, id);
    if (!key) throw new AppError('NOT_FOUND', `id: API key ${id} not found`, { field: 'id' });
    if (key.revokedAt) return key;
    await this.uow.run(async (m) => {
      await this.keys.revoke(m, actor.orgId, id);
      await this.policies.bumpVersion(m, actor.orgId);
    });
    this.authz.invalidate(actor.orgId);
    // Sockets opened with the key close (4101) on every API process.
    await publishPrincipalChanged(this.bus, actor.orgId, { apiKeyIds: [id] });
    return (await this.keys.findById(actor.orgId, id))!;
  }
}
