import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';
import { requestContext } from 'src/core/context/request-context';

const log = new NestLogger('SQL');

/** Statements slower than this are logged (TypeORM's maxQueryExecutionTime and SqlReader). */
export const SLOW_QUERY_MS = 1000;

/** Failed statements a GraphQL request keeps for its fault line (see RequestContext.failedStatements). */
const MAX_PENDING_FAILURES = 5;

/**
 * The accounting of every SQL statement, whichever path runs it (TypeORM, or
 * SqlReader straight on the pool): counted in the request context (for the
 * optional `x-sql-statements` response header used by tests and benchmarks),
 * and failed or slow statements reported without their parameters (which may
 * hold personal data).
 */
export const sqlAccounting = {
  counted(): void {
    const ctx = requestContext.get();
    if (ctx) ctx.sqlStatements = (ctx.sqlStatements ?? 0) + 1;
  },
  failed(error: unknown, query: string): void {
    const failure = { error: error instanceof Error ? error.message : String(error), query: query.slice(0, 500) };
    const pending = requestContext.get()?.failedStatements;
    if (!pending) log.warn({ msg: 'query failed', ...failure });
    else if (pending.length < MAX_PENDING_FAILURES) pending.push(failure);
  },
  slow(ms: number, query: string): void {
    log.warn({ msg: 'slow query', ms, query: query.slice(0, 500) });
  },
};

/** TypeORM logger reporting through sqlAccounting. */
export class QueryCounterLogger implements TypeOrmLogger {
  logQuery(): void {
    sqlAccounting.counted();
  }
  logQueryError(error: string | Error, query: string): void {
    sqlAccounting.failed(error, query);
  }
  logQuerySlow(time: number, query: string): void {
    sqlAccounting.slow(time, query);
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    log.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') log.warn(String(message));
  }
}
