import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Employee, Organization } from 'src/modules/org/types/org.types';

@ObjectType()
export class AuthPayload {
  @Field()
  token: string;

  @Field(() => Employee)
  employee: Employee;

  @Field(() => Organization)
  organization: Organization;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  prefix: string;

  @Field(() => [String])
  roles: string[];

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: 'Shown once; only a hash is stored.' })
  secret: string;
}
