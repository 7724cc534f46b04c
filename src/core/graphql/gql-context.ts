import type { Request } from 'express';
import { Actor } from 'src/core/authz/actor';
import { AppError } from 'src/core/errors/app-error';

/** The GraphQL context of one request. */
export interface GqlContext {
  req?: Request;
  requestId: string;
  ip: string;
  actor: Actor | null;
  /** Set when a token was presented but is not valid; raised by the guard for protected fields. */
  authError?: AppError;
  /** Per-request memo for DataLoaders and other request-scoped caches. */
  loaders: Map<string, unknown>;
  /** Whether the caller holds `resource:action` (memoized per request; false without a caller). */
  can(resource: string, action: string): Promise<boolean>;
  /**
   * The answer of an earlier `can` once it has arrived, else undefined: lets a
   * field resolved once per row answer synchronously (no promise per row)
   * when its list resolver asked first.
   */
  known(resource: string, action: string): boolean | undefined;
}

/** Returns the request's instance of a loader, creating it on first use. */
export function loader<T>(ctx: GqlContext, key: string, create: () => T): T {
  let l = ctx.loaders.get(key) as T | undefined;
  if (!l) {
    l = create();
    ctx.loaders.set(key, l);
  }
  return l;
}
