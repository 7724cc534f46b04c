import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool, QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig } from 'src/core/config/app-config';
import { SLOW_QUERY_MS, sqlAccounting } from './query-counter.logger';

/**
 * Distinct statement texts prepared per process; beyond this,
 * statements run unprepared (a guard against generated SQL).
 */
const MAX_PREPARED = 256;

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
  private readonly logger = new Logger('SqlReader');
  private readonly pool: Pool;
  private readonly preparing: boolean;
  /** Statement text -> its prepared statement name (the same on every pooled connection). */
  private readonly names = new Map<string, string>();
  private warnedFull = false;

  constructor(@Inject(DataSource) ds: DataSource, @Inject(AppConfig) config: AppConfig) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
    this.preparing = config.databasePreparedStatements;
  }

  /** A statement parsed and planned on every run (plans that depend on the parameter values: filters, search). */
  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.run<T>({ text: sql, values: params as unknown[] });
  }

  /**
   * A named prepared statement: each pooled connection parses it once, and
   * after five runs PostgreSQL may keep one generic plan for it. Measured on
   * the sales list (bench, README): a third less PostgreSQL time per page.
   * Only for statements whose best plan does not depend on the parameter
   * values: lookups by key, batches by ids, one employee's keyset page. (A
   * manager's filtered page got a generic plan twice as slow, so it uses
   * `query`.) DATABASE_PREPARED_STATEMENTS=false turns this off, e.g. behind a
   * transaction-mode connection pooler.
   */
  prepared<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    if (!this.preparing) return this.query<T>(sql, params);
    let name = this.names.get(sql);
    if (name === undefined) {
      if (this.names.size >= MAX_PREPARED) {
        if (!this.warnedFull)
          this.logger.warn(`more than ${MAX_PREPARED} distinct prepared statements; further ones run unprepared`);
        this.warnedFull = true;
        return this.query<T>(sql, params);
      }
      name = `sqlreader_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return this.run<T>({ name, text: sql, values: params as unknown[] });
  }

  private async run<T>(q: QueryConfig): Promise<T[]> {
    sqlAccounting.counted();
    const started = Date.now();
    try {
      return (await this.pool.query(q)).rows as T[];
    } catch (e) {
      sqlAccounting.failed(e, q.text);
      throw e;
    } finally {
      const ms = Date.now() - started;
      if (ms > SLOW_QUERY_MS) sqlAccounting.slow(ms, q.text);
    }
  }
}
