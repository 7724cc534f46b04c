import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { AppError } from 'src/core/errors/app-error';
import { GqlContext } from 'src/core/graphql/gql-context';
import { AuthzService } from './authz.service';
import { PERMISSION_KEY, PermissionRequirement } from './permission.decorator';

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Guards every root field. Fails closed: a root field without a declared
 * requirement is refused, so a forgotten decorator cannot open data.
 */
@Injectable()
export class AuthzGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authz: AuthzService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    if (!ROOTS.has(info.parentType.name)) return true; // field resolvers: scoped by their services
    const req = this.reflector.getAllAndOverride<PermissionRequirement | undefined>(PERMISSION_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!req)
      throw new AppError('INTERNAL_SERVER_ERROR', `${info.parentType.name}.${info.fieldName} declares no permission`);
    if (req.kind === 'public') return true;
    const ctx = gql.getContext<GqlContext>();
    if (ctx.authError) throw ctx.authError;
    const actor = ctx.actor;
    if (!actor) throw AppError.unauthenticated();
    if (req.kind === 'authenticated') return true;
    if (!(await this.authz.can(actor, req.resource, req.action))) {
      throw AppError.forbidden(`Missing permission ${req.resource}:${req.action}`);
    }
    return true;
  }
}
