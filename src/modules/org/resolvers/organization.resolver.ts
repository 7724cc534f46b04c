import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { CurrentActor } from 'src/core/authz/current-actor.decorator';
import { Authenticated, RequirePermission } from 'src/core/authz/permission.decorator';
import { UpdateOrganizationSettingsInput } from 'src/modules/org/dto/org.inputs';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { Organization } from 'src/modules/org/types/org.types';

export function toOrganization(o: OrganizationEntity): Organization {
  return {
    id: o.id,
    name: o.name,
    slug: o.slug,
    timezone: o.timezone,
    createdAt: o.createdAt,
    settings: {
      transferAcceptanceMinutes: o.transferAcceptanceMinutes,
      onJobTransferLimit: o.onJobTransferLimit,
      onJobTransferWindowDays: o.onJobTransferWindowDays,
      momentTaskExpiryHours: o.momentTaskExpiryHours,
      chatRetentionDays: o.chatRetentionDays,
    },
  };
}

@Resolver(() => Organization)
export class OrganizationResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @Query(() => Organization, { description: 'The caller’s organization.' })
  @Authenticated('every caller may see its own organization')
  async organization(@CurrentActor() actor: Actor): Promise<Organization> {
    return toOrganization(await this.organizations.get(actor.orgId));
  }

  @Mutation(() => Organization)
  @RequirePermission('organization', 'update')
  async updateOrganizationSettings(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateOrganizationSettingsInput,
  ): Promise<Organization> {
    return toOrganization(await this.organizations.updateSettings(actor, input));
  }
}
