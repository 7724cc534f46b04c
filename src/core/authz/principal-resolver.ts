import { Actor } from './actor';

/**
 * Turns an `Authorization` header into the calling actor. Implemented by the
 * auth module (session tokens, API keys); core only knows this interface.
 * Throws UNAUTHENTICATED for a token that is invalid, expired or revoked.
 */
export interface PrincipalResolver {
  resolve(authorization: string | undefined): Promise<Actor | null>;
}

export const PRINCIPAL_RESOLVER = Symbol('PRINCIPAL_RESOLVER');
