import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { SLOW_QUERY_MS, sqlAccounting } from './query-counter.logger';

/**
 * Read-only statements outside a transaction, straight on the DataSource's pg
 * pool: the hot reads of every request (the caller, a list page and its
 * batches) skip TypeORM's query runner (one allocated per statement, with its
 * event broadcast). Counted and logged like TypeORM's statements
 * (sqlAccounting). Anything that writes or needs a transaction goes through
 * TypeORM's EntityManager as before.
 */
@Injectable()
export class SqlReader {
  private readonly pool: Pool;

  constructor(@Inject(DataSource) ds: DataSource) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    sqlAccounting.counted();
    const started = Date.now();
    try {
      return (await this.pool.query(sql, params as unknown[])).rows as T[];
    } catch (e) {
      sqlAccounting.failed(e, sql);
      throw e;
    } finally {
      const ms = Date.now() - started;
      if (ms > SLOW_QUERY_MS) sqlAccounting.slow(ms, sql);
    }
  }
}
