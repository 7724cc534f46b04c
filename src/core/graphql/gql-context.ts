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
  /**
   * Set by the subscription server: the memo that every subscriber's execution of one live event shares on
   * this process (5,000 subscribers of one fired moment load its row once, not 5,000 times). Only for
   * `sharedLoader`s, whose answers never depend on the caller; permission and scope answers stay per context.
   */
  shared?: Map<string, unknown>;
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
  return memoIn(ctx.loaders, key, create);
}

/**
 * A loader of rows by id whose answer is the same whoever asks (no scope or permission filter inside: those
 * are checked per caller on what it returns, by ScopedTypes and the resolvers): the request's own, or in a
 * live event's execution the one all its subscribers on this process share (GqlContext.shared).
 */
export function sharedLoader<T>(ctx: GqlContext, key: string, create: () => T): T {
  return memoIn(ctx.shared ?? ctx.loaders, key, create);
}

/** The value memoized under `key` in `memo`, created on first use. */
export function memoIn<T>(memo: Map<string, unknown>, key: string, create: () => T): T {
  let l = memo.get(key) as T | undefined;
  if (!l) {
    l = create();
    memo.set(key, l);
  }
  return l;
}
