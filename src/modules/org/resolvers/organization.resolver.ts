import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '../../../core/authz/actor';
import { CurrentActor } from '../../../core/authz/current-actor.decorator';
import { Authenticated, RequirePermission } from '../../../core/authz/permission.decorator';
import { UpdateOrganizationSettingsInput } from '../dto/org.inputs';
import { OrganizationEntity } from '../entities/organization.entity';
import { OrganizationsService } from '../services/organizations.service';
import { Organization } from '../types/org.types';

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
