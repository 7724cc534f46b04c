import { Args, Int } from '@nestjs/graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from 'src/core/graphql/pagination';

/**
 * The `first` argument of a connection field: how many rows a page holds. The service checks the bounds
 * (`pageSize`), so a value out of range is BAD_USER_INPUT naming `first`.
 */
export function FirstArg(defaultValue = DEFAULT_PAGE_SIZE): ParameterDecorator {
  return Args('first', {
    type: () => Int,
    nullable: true,
    defaultValue,
    description: `Rows in this page, 1 to ${MAX_PAGE_SIZE} (default ${defaultValue}).`,
  });
}

/** The `after` argument of a connection field: the previous page's `pageInfo.endCursor`, opaque to clients. */
export function AfterArg(): ParameterDecorator {
  return Args('after', {
    type: () => String,
    nullable: true,
    description: 'The `endCursor` of the previous page; omit it for the first page.',
  });
}
