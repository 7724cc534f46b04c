import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { Authenticated, Public } from 'src/core/authz/permission.decorator';
import { GqlContext } from 'src/core/graphql/gql-context';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { toOrganization } from 'src/modules/org/resolvers/organization.resolver';
import { AuthService, Session } from './auth.service';
import { ChangeMyPasswordInput, LoginInput, SignUpInput } from './dto/auth.inputs';
import { AuthPayload } from './types/auth.types';

const toPayload = (s: Session): AuthPayload => ({
  token: s.token,
  employee: toEmployee(s.employee),
  organization: toOrganization(s.organization),
});

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload, {
    description:
      'Creates an organization and its first admin; returns a session. FORBIDDEN when the operator closed sign-up.',
  })
  @Public('sign-up creates the caller')
  async signUp(@Args('input') input: SignUpInput, @Ctx() ctx: GqlContext): Promise<AuthPayload> {
    return toPayload(await this.auth.signUp(input, ctx.ip));
  }

  @Mutation(() => AuthPayload)
  @Public('login establishes the caller')
  async login(@Args('input') input: LoginInput, @Ctx() ctx: GqlContext): Promise<AuthPayload> {
    return toPayload(await this.auth.login(input, ctx.ip));
  }

  @Mutation(() => AuthPayload, {
    description:
      "Changes the signed-in employee's password; ends all their sessions and returns a new one (API keys: FORBIDDEN).",
  })
  @Authenticated('every signed-in employee may change their own password')
  async changeMyPassword(
    @CurrentActor() actor: Actor,
    @Args('input') input: ChangeMyPasswordInput,
  ): Promise<AuthPayload> {
    return toPayload(await this.auth.changeMyPassword(actor, input));
  }
}
