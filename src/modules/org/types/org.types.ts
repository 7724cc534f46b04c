import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/core/graphql/connection';

export enum EmployeeStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  DEPARTED = 'DEPARTED',
}
registerEnumType(EmployeeStatus, { name: 'EmployeeStatus' });

export enum DataScopeKind {
  ORGANIZATION = 'ORGANIZATION',
  DEPARTMENT = 'DEPARTMENT',
  SELF = 'SELF',
}
registerEnumType(DataScopeKind, {
  name: 'DataScope',
  description: 'Which rows a role reaches: the whole organization, the holder’s department tree, or only their own.',
});

@ObjectType()
export class OrganizationSettings {
  @Field(() => Int, {
    description: 'How long a customer may refuse a transfer before it completes by itself (WeCom: 24 h).',
  })
  transferAcceptanceMinutes: number;

  @Field(() => Int)
  onJobTransferLimit: number;

  @Field(() => Int)
  onJobTransferWindowDays: number;

  @Field(() => Int)
  momentTaskExpiryHours: number;

  @Field(() => Int, { nullable: true })
  chatRetentionDays: number | null;
}

@ObjectType()
export class Organization {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  slug: string;

  @Field()
  timezone: string;

  @Field(() => OrganizationSettings)
  settings: OrganizationSettings;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class Department {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  /** Not exposed: used by field resolvers. */
  orgId: string;
  parentId: string | null;
  path: string;
}

@ObjectType()
export class Employee {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => String, { nullable: true })
  externalId: string | null;

  departmentId: string | null;

  @Field(() => EmployeeStatus)
  status: EmployeeStatus;

  @Field(() => Int)
  customerCapacity: number;

  @Field(() => Int)
  activeCustomerCount: number;

  @Field(() => Date, { nullable: true })
  departedAt: Date | null;

  @Field()
  createdAt: Date;

  orgId: string;
}

@ObjectType()
export class EmployeeConnection extends Connection(Employee, 'Employee') {}

@ObjectType()
export class Role {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => DataScopeKind)
  dataScope: DataScopeKind;

  @Field()
  builtin: boolean;

  @Field(() => [String], { description: 'resource:action pairs; `*` matches anything.' })
  permissions: string[];
}

@ObjectType({ description: 'One `resource:action` of the permission catalogue, grantable to custom roles.' })
export class Permission {
  @Field({ description: 'What is acted on, e.g. customer.' })
  resource: string;

  @Field({ description: 'What may be done to it, e.g. read.' })
  action: string;

  @Field({ description: 'The `resource:action` string roles list in `permissions`.' })
  key: string;

  @Field({ description: 'What the permission allows, in English.' })
  description: string;
}

@ObjectType({ description: 'A permission the caller holds, with the widest data scope of the roles granting it.' })
export class GrantedPermission {
  @Field({ description: 'The `resource:action` of the permission catalogue, e.g. customer:read.' })
  key: string;

  @Field()
  resource: string;

  @Field()
  action: string;

  @Field(() => DataScopeKind, { description: 'The rows it reaches (API keys: ORGANIZATION).' })
  dataScope: DataScopeKind;
}
