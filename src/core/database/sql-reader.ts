import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { requestContext } from '../context/request-context';

const log = new Logger('SQL');
const SLOW_MS = 1000;

/**
 * Read-only statements outside a transaction, straight on the DataSource's pg
 * pool: the hot reads of every request (the caller, a list page and its
 * batches) skip TypeORM's query runner (one allocated per statement, with its
 * event broadcast). Counted and logged like TypeORM's statements
 * (QueryCounterLogger). Anything that writes or needs a transaction goes
 * through TypeORM's EntityManager as before.
 */
@Injectable()
export class SqlReader {
  private readonly pool: Pool;

  constructor(@Inject(DataSource) ds: DataSource) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const ctx = requestContext.get();
    if (ctx) ctx.sqlStatements = (ctx.sqlStatements ?? 0) + 1;
    const started = Date.now();
    try {
      return (await this.pool.query(sql, params as unknown[])).rows as T[];
    } catch (e) {
      log.warn({ msg: 'query failed', error: e instanceof Error ? e.message : String(e), query: sql.slice(0, 500) });
      throw e;
    } finally {
      const ms = Date.now() - started;
      if (ms > SLOW_MS) log.warn({ msg: 'slow query', ms, query: sql.slice(0, 500) });
    }
  }
}
