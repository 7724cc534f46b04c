import { Field, ObjectType } from '@nestjs/graphql';
import { AppError } from 'src/core/errors/app-error';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** Validates `first` (1..200) and returns it; BAD_USER_INPUT names the argument. */
export function pageSize(first: number | null | undefined, field = 'first', max = MAX_PAGE_SIZE): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw AppError.badInput(field, `must be between 1 and ${max} (got ${n})`);
  }
  return n;
}

/** Keyset cursors: the ordering values of the last row, opaque to clients. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number, field = 'after'): unknown[] | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through
  }
  throw AppError.badInput(field, 'is not a valid cursor');
}

export interface Page<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: PageInfo;
}

/**
 * Builds a connection from rows fetched with LIMIT first + 1: the extra row only
 * tells whether another page exists.
 */
export function toPage<T>(rows: T[], first: number, cursorOf: (row: T) => unknown[]): Page<T> {
  const hasNextPage = rows.length > first;
  const slice = hasNextPage ? rows.slice(0, first) : rows;
  const edges = slice.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
}

/** A service's page as the API's connection: each row mapped to its GraphQL node, cursors and page info kept. */
export function mapPage<T, N>(page: Page<T>, toNode: (row: T) => N): Page<N> {
  return { ...page, edges: page.edges.map((e) => ({ node: toNode(e.node), cursor: e.cursor })) };
}
