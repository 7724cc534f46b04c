import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A transaction handle that services pass to repositories without touching TypeORM themselves. */
export type Tx = EntityManager;

/** Work registered to run at the end of a unit of work's transaction, just before its commit (by handle). */
const beforeCommit = new WeakMap<object, Array<() => Promise<void>>>();

/** Runs service work in one database transaction. */
@Injectable()
export class UnitOfWork {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const last: Array<() => Promise<void>> = [];
      beforeCommit.set(tx, last);
      try {
        const result = await work(tx);
        for (let next = last.shift(); next; next = last.shift()) await next();
        return result;
      } finally {
        beforeCommit.delete(tx);
      }
    });
  }

  /**
   * Runs `fn` at the end of the transaction `tx`, after its work and just before the commit (a failure rolls it
   * back): a hot row is then locked for the commit only, not for the rest of the transaction. False when `tx` is
   * not a unit of work's transaction (e.g. a bulk import's own connection): the caller runs it now.
   */
  static beforeCommit(tx: object, fn: () => Promise<void>): boolean {
    const last = beforeCommit.get(tx);
    if (!last) return false;
    last.push(fn);
    return true;
  }
}
