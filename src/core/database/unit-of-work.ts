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
      UnitOfWork.begin(tx);
      try {
        const result = await work(tx);
        await UnitOfWork.beforeCommitOf(tx);
        return result;
      } finally {
        beforeCommit.delete(tx);
      }
    });
  }

  /**
   * Runs `fn` at the end of the transaction `tx`, after its work and just before the commit (a failure rolls it
   * back): a hot row is then locked for the commit only, not for the rest of the transaction. False when `tx` is
   * not a unit of work's transaction nor begun with `begin`: the caller runs it now.
   */
  static beforeCommit(tx: object, fn: () => Promise<void>): boolean {
    const last = beforeCommit.get(tx);
    if (!last) return false;
    last.push(fn);
    return true;
  }

  /** A transaction run on a connection of its own (a bulk import's) takes beforeCommit work too. */
  static begin(handle: object): void {
    beforeCommit.set(handle, []);
  }

  /** Runs the handle's beforeCommit work (what registers more runs too); the caller commits next. */
  static async beforeCommitOf(handle: object): Promise<void> {
    const last = beforeCommit.get(handle) ?? [];
    for (let next = last.shift(); next; next = last.shift()) await next();
  }
}
