import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A transaction handle that services pass to repositories without touching TypeORM themselves. */
export type Tx = EntityManager;

/** Runs service work in one database transaction. */
@Injectable()
export class UnitOfWork {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
