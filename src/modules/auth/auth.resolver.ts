import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Ctx } from '../../core/authz/current-actor.decorator';
import { Public } from '../../core/authz/permission.decorator';
import { GqlContext } from '../../core/graphql/gql-context';
import { toEmployee } from '../org/resolvers/employees.resolver';
import { toOrganization } from '../org/resolvers/organization.resolver';
import { AuthService, Session } from './auth.service';
import { LoginInput, SignUpInput } from './dto/auth.inputs';
import { AuthPayload } from './types/auth.types';

const toPayload = (s: Session): AuthPayload => ({
  token: s.token,
  employee: toEmployee(s.employee),
  organization: toOrganization(s.organization),
});

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload, { description: 'Creates an organization and its first admin; returns a session.' })
  @Public('sign-up creates the caller')
  async signUp(@Args('input') input: SignUpInput): Promise<AuthPayload> {
    return toPayload(await this.auth.signUp(input));
  }

  @Mutation(() => AuthPayload)
  @Public('login establishes the caller')
  async login(@Args('input') input: LoginInput, @Ctx() ctx: GqlContext): Promise<AuthPayload> {
    return toPayload(await this.auth.login(input, ctx.ip));
  }
}
