import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';
import { requestContext } from '../context/request-context';

const log = new NestLogger('SQL');

/**
 * TypeORM logger that counts the SQL statements of each request (in the
 * request context, for the optional `x-sql-statements` response header used by
 * tests and benchmarks) and reports failed and slow statements without their
 * parameters (which may hold personal data).
 */
export class QueryCounterLogger implements TypeOrmLogger {
  logQuery(): void {
    const ctx = requestContext.get();
    if (ctx) ctx.sqlStatements = (ctx.sqlStatements ?? 0) + 1;
  }
  logQueryError(error: string | Error, query: string): void {
    log.warn({ msg: 'query failed', error: error instanceof Error ? error.message : error, query: query.slice(0, 500) });
  }
  logQuerySlow(time: number, query: string): void {
    log.warn({ msg: 'slow query', ms: time, query: query.slice(0, 500) });
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    log.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') log.warn(String(message));
  }
}
