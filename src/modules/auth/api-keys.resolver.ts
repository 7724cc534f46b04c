import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyInput } from './dto/auth.inputs';
import { ApiKeyEntity } from './entities/api-key.entity';
import { ApiKey, CreateApiKeyPayload } from './types/auth.types';
import { IdArg } from 'src/core/graphql/id-arg';

type ApiKeyNode = Omit<ApiKey, 'roles'> & { orgId: string };

export const toApiKey = (k: ApiKeyEntity): ApiKeyNode => ({
  id: k.id,
  orgId: k.orgId,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

@Resolver(() => ApiKey)
export class ApiKeysResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @Query(() => [ApiKey], { name: 'apiKeys' })
  @RequirePermission('apiKey', 'read')
  async listApiKeys(@CurrentActor() actor: Actor) {
    return (await this.keys.list(actor.orgId)).map(toApiKey);
  }

  @Mutation(() => CreateApiKeyPayload)
  @RequirePermission('apiKey', 'create')
  async createApiKey(@CurrentActor() actor: Actor, @Args('input') input: CreateApiKeyInput) {
    const { key, secret } = await this.keys.create(actor, input);
    return { apiKey: toApiKey(key), secret };
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key at once; revoking twice is harmless.' })
  @RequirePermission('apiKey', 'revoke')
  async revokeApiKey(@CurrentActor() actor: Actor, @IdArg('an API key') id: string) {
    return toApiKey(await this.keys.revoke(actor, id));
  }

  @ResolveField(() => [String])
  roles(@Parent() k: ApiKeyNode, @Ctx() ctx: GqlContext): Promise<string[]> {
    const l = loader(ctx, `apiKeyRoles:${k.orgId}`, () =>
      new DataLoader<string, string[]>(async (ids) => {
        const map = await this.keys.rolesOfMany(k.orgId, [...ids]);
        return ids.map((id) => map.get(`key:${id}`) ?? []);
      }),
    );
    return l.load(k.id);
  }
}
