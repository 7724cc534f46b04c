import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { EmployeeEntity } from 'src/modules/org/services/employees.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { CustomersRepository } from 'src/modules/customers/repositories/customers.repository';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { readCsv } from './csv-parser';
import { CustomerImportRepository, CustomerImportValues } from './customer-import.repository';
import { ColumnMap, ImportRow, mapHeader, parseRow } from './customer-row';
import { RejectedRow, writeRejectReport } from './reject-report';

export const DEFAULT_IMPORT_BATCH_SIZE = 1000;
export const MAX_IMPORT_BATCH_SIZE = 10_000;
export const OVER_CAPACITY = 'over capacity';
/** Attempts of one batch when PostgreSQL aborts it for a deadlock or a serialization failure. */
const BATCH_ATTEMPTS = 3;
const YIELD_EVERY_ROWS = 50;

export interface CustomerImportOptions {
  orgId: string;
  /** The employee who gets the customers; must be ACTIVE. */
  employeeId: string;
  /** The CSV (UTF-8): a file path, or a stream (`totalBytes` then enables progress in percent). */
  path?: string;
  stream?: Readable;
  totalBytes?: number;
  /** Validate, check capacity and count everything, then roll each batch back. */
  dryRun?: boolean;
  /** Rows per transaction (default 1,000). */
  batchSize?: number;
  /** Where to write the rejected rows (always written when given, even when there are none). */
  reportPath?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Stops after the batch in progress; committed batches stay. */
  signal?: AbortSignal;
}

export interface ImportProgress {
  bytesRead: number;
  /** Null when reading a stream of unknown size. */
  totalBytes: number | null;
  /** Data rows read so far. */
  rows: number;
  /** Rows imported by the batches done so far (created or matched). */
  accepted: number;
  rejected: number;
  elapsedMs: number;
  done: boolean;
}

export interface CustomerImportSummary {
  dryRun: boolean;
  /** The header as read. */
  columns: string[];
  /** Data rows read (blank lines are not rows). */
  rows: number;
  /** Rows imported: each ended with an ACTIVE relation (newRelations + unchanged). */
  accepted: number;
  /** Customers inserted. */
  created: number;
  /** Existing customers matched on externalId whose name, company or phone changed. */
  updated: number;
  /** Relations opened (addWay IMPORT), each with a `relation.added` timeline event and counted for the employee. */
  newRelations: number;
  /** Rows whose customer the employee already held (ACTIVE): nothing added or counted. */
  unchanged: number;
  rejected: number;
  /** By line. */
  rejects: RejectedRow[];
  warnings: string[];
  reportPath: string | null;
  batches: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

/** An operational failure of the import (unreadable file, interrupted or aborted run), with what was done before it. */
export class CustomerImportError extends Error {
  constructor(
    message: string,
    /** Set when batches may have been committed before the failure. */
    readonly summary?: CustomerImportSummary,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CustomerImportError';
  }
}

interface PendingRow {
  row: ImportRow;
  fields: string[];
}

interface BatchOutcome {
  overCapacity: PendingRow[];
  created: number;
  updated: number;
  newRelations: number;
  unchanged: number;
}

/** Thrown inside a dry-run batch to roll it back once its outcome is known. */
class DryRunRollback {
  constructor(readonly outcome: BatchOutcome) {}
}

class ImportRun {
  readonly started = performance.now();
  readonly rejects: RejectedRow[] = [];
  /** External id -> line of its first accepted occurrence in the file. */
  readonly seen = new Map<string, number>();
  pending: PendingRow[] = [];
  /** The batch being written while the next one is parsed. */
  inflight: Promise<void> | null = null;
  columns: ColumnMap | null = null;
  warnings: string[] = [];
  bytesRead = 0;
  rows = 0;
  withoutExternalId = 0;
  created = 0;
  updated = 0;
  newRelations = 0;
  unchanged = 0;
  batches = 0;
  /** Dry run: relations the rolled-back batches would have added (counted against capacity). */
  heldInDryRun = 0;

  constructor(
    readonly opts: CustomerImportOptions,
    readonly totalBytes: number | null,
  ) {}

  reject(line: number, reasons: string[], fields: string[]): void {
    this.rejects.push({ line, reasons, fields });
  }

  progress(done: boolean): ImportProgress {
    return {
      bytesRead: this.bytesRead,
      totalBytes: this.totalBytes,
      rows: this.rows,
      accepted: this.newRelations + this.unchanged,
      rejected: this.rejects.length,
      elapsedMs: performance.now() - this.started,
      done,
    };
  }

  summary(): CustomerImportSummary {
    const elapsedMs = performance.now() - this.started;
    const warnings = [...this.warnings];
    if (this.withoutExternalId && !this.opts.dryRun) {
      warnings.push(`${this.withoutExternalId} row(s) have no externalId: importing the file again creates them again`);
    }
    return {
      dryRun: !!this.opts.dryRun,
      columns: this.columns?.header ?? [],
      rows: this.rows,
      accepted: this.newRelations + this.unchanged,
      created: this.created,
      updated: this.updated,
      newRelations: this.newRelations,
      unchanged: this.unchanged,
      rejected: this.rejects.length,
      rejects: [...this.rejects].sort((a, b) => a.line - b.line),
      warnings,
      reportPath: this.opts.reportPath ?? null,
      batches: this.batches,
      elapsedMs: Math.round(elapsedMs),
      rowsPerSecond: elapsedMs > 0 ? Math.round((this.rows * 1000) / elapsedMs) : 0,
    };
  }
}

/**
 * CSV import of customers for one employee, with the rules of
 * recordCustomerAdded applied set-wise: per batch of rows, in one transaction,
 * the employee row is locked (as CustomersService.addRelation does) and must
 * be ACTIVE; customers are upserted on externalId (plain inserts without one);
 * relations (addWay IMPORT) are opened for the customers the employee does
 * not hold yet, within capacity (reservations included), each with a
 * `relation.added` timeline event, and counted. Rows beyond capacity are
 * rejected "over capacity" and write nothing. Re-importing a file adds
 * nothing: its rows count as unchanged.
 *
 * Within one file, an externalId is imported at its first valid occurrence;
 * later rows with the same externalId are rejected as duplicates.
 */
@Injectable()
export class CustomerImportService {
  private readonly logger = new Logger('CustomerImport');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: CustomerImportRepository,
    private readonly customersRepo: CustomersRepository,
    private readonly customers: CustomersService,
    private readonly employees: EmployeesService,
  ) {}

  async import(opts: CustomerImportOptions): Promise<CustomerImportSummary> {
    const batchSize = opts.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_IMPORT_BATCH_SIZE) {
      throw AppError.badInput('batchSize', `must be an integer from 1 to ${MAX_IMPORT_BATCH_SIZE}`);
    }
    if (!!opts.path === !!opts.stream) throw AppError.badInput('file', 'give exactly one of path and stream');
    const employee = await this.employees.findById(opts.orgId, opts.employeeId);
    if (!employee) throw new AppError('NOT_FOUND', `employee ${opts.employeeId} not found`, { field: 'employeeId' });
    assertActive(employee);

    let stream = opts.stream;
    let totalBytes = opts.totalBytes ?? null;
    if (opts.path) {
      try {
        const st = await stat(opts.path);
        if (!st.isFile()) throw new Error('not a file');
        totalBytes = st.size;
      } catch (e) {
        throw new CustomerImportError(`cannot read ${opts.path}: ${(e as Error).message}`);
      }
      stream = createReadStream(opts.path);
    }
    const run = new ImportRun(opts, totalBytes);
    this.logger.log({ msg: 'customer import started', employeeId: opts.employeeId, dryRun: !!opts.dryRun, batchSize });
    try {
      await this.consume(run, stream!, batchSize);
    } catch (e) {
      await run.inflight?.catch(() => undefined);
      // What the committed batches did stays; say so, and still write the report of what was read.
      const partial = run.batches ? run.summary() : undefined;
      if (opts.reportPath && run.columns) {
        const s = run.summary();
        await writeRejectReport(opts.reportPath, s.columns, s.rejects).catch(() => undefined);
      }
      if (e instanceof CustomerImportError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (typeof err.code === 'string' && err.syscall) {
        throw new CustomerImportError(`cannot read ${opts.path ?? 'the input'}: ${err.message}`, partial, { cause: e });
      }
      if (partial && e instanceof AppError) {
        throw new CustomerImportError(`${e.message} (stopped after ${run.batches} batch(es) of ${batchSize} rows${opts.dryRun ? '' : ', which stay imported'})`, partial, { cause: e });
      }
      throw e;
    }
    const summary = run.summary();
    opts.onProgress?.(run.progress(true));
    if (opts.reportPath) {
      await writeRejectReport(opts.reportPath, summary.columns, summary.rejects).catch((e: Error) => {
        throw new CustomerImportError(`cannot write the report ${opts.reportPath}: ${e.message}`, summary, {
          cause: e,
        });
      });
    }
    this.logger.log({
      msg: 'customer import done',
      employeeId: opts.employeeId,
      dryRun: summary.dryRun,
      rows: summary.rows,
      created: summary.created,
      updated: summary.updated,
      newRelations: summary.newRelations,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
      elapsedMs: summary.elapsedMs,
    });
    return summary;
  }

  private async consume(run: ImportRun, stream: Readable, batchSize: number): Promise<void> {
    const { opts } = run;
    let sinceProgress = 0;
    for await (const record of readCsv(stream, (n) => (run.bytesRead += n))) {
      if (opts.signal?.aborted) {
        await this.settle(run);
        throw this.interrupted(run);
      }
      if (!run.columns) {
        if (record.error)
          throw AppError.badInput('file', `the header row (line ${record.line}) is not valid CSV: ${record.error}`);
        run.columns = mapHeader(record.fields);
        run.warnings.push(...run.columns.warnings);
        continue;
      }
      run.rows++;
      const parsed = parseRow(record.fields, record.line, run.columns);
      if (record.error) {
        run.reject(
          record.line,
          [`is not valid CSV: ${record.error}`, ...(parsed.ok ? [] : parsed.reasons)],
          record.fields,
        );
      } else if (!parsed.ok) {
        run.reject(record.line, parsed.reasons, record.fields);
      } else {
        const { row } = parsed;
        const first = row.externalId ? run.seen.get(row.externalId) : undefined;
        if (first !== undefined) {
          run.reject(
            row.line,
            [`externalId: duplicate of line ${first} (the first occurrence is imported)`],
            record.fields,
          );
        } else {
          if (row.externalId) run.seen.set(row.externalId, row.line);
          else run.withoutExternalId++;
          run.pending.push({ row, fields: record.fields });
          if (run.pending.length >= batchSize) await this.startBatch(run);
        }
      }
      // While a batch is being written, let its database replies in between rows (parsing is CPU-bound).
      if (run.inflight && run.rows % YIELD_EVERY_ROWS === 0) await setImmediate();
      if (++sinceProgress >= batchSize) {
        sinceProgress = 0;
        opts.onProgress?.(run.progress(false));
      }
    }
    if (!run.columns)
      throw AppError.badInput(
        'file',
        'the file is empty: expected a header row (externalId, name, company, phone, stage, remark, state)',
      );
    await this.startBatch(run);
    await this.settle(run);
  }

  private interrupted(run: ImportRun): CustomerImportError {
    const summary = run.summary();
    return new CustomerImportError(
      `interrupted after ${run.batches} batch(es); ${run.pending.length} row(s) read since were not imported. ` +
        `Importing the file again picks up where it stopped (rows already imported count as unchanged).`,
      summary,
    );
  }

  /**
   * Hands the pending rows to the database once the batch before them is
   * done, and returns at once: the next rows are parsed and validated while
   * this batch is written. Batches still run one after the other.
   */
  private async startBatch(run: ImportRun): Promise<void> {
    await this.settle(run);
    if (run.opts.signal?.aborted) throw this.interrupted(run);
    const batch = run.pending;
    if (!batch.length) return;
    run.pending = [];
    const written = this.flush(run, batch);
    written.catch(() => undefined); // surfaced by settle()
    run.inflight = written;
  }

  /** Waits for the batch in flight; throws its error. */
  private async settle(run: ImportRun): Promise<void> {
    const written = run.inflight;
    run.inflight = null;
    if (written) await written;
  }

  /** Imports rows in one transaction (retried on deadlock or serialization failure). */
  private async flush(run: ImportRun, batch: PendingRow[]): Promise<void> {
    let outcome: BatchOutcome | undefined;
    for (let attempt = 1; !outcome; attempt++) {
      try {
        outcome = await this.uow.run((tx) => this.importBatch(tx, run, batch));
      } catch (e) {
        if (e instanceof DryRunRollback) {
          outcome = e.outcome;
        } else if (attempt < BATCH_ATTEMPTS && isRetryable(e)) {
          this.logger.warn({ msg: 'customer import batch retried', attempt, code: (e as { code?: string }).code });
        } else {
          throw e;
        }
      }
    }
    run.batches++;
    run.created += outcome.created;
    run.updated += outcome.updated;
    run.newRelations += outcome.newRelations;
    run.unchanged += outcome.unchanged;
    if (run.opts.dryRun) run.heldInDryRun += outcome.newRelations;
    for (const p of outcome.overCapacity) run.reject(p.row.line, [OVER_CAPACITY], p.fields);
    run.opts.onProgress?.(run.progress(false));
  }

  private async importBatch(tx: Tx, run: ImportRun, batch: PendingRow[]): Promise<BatchOutcome> {
    const { orgId, employeeId } = run.opts;
    const employee = await this.employees.lockForUpdate(tx, orgId, employeeId);
    if (!employee) throw new AppError('NOT_FOUND', `employee ${employeeId} not found`, { field: 'employeeId' });
    assertActive(employee);

    const externalIds = batch.flatMap((p) => (p.row.externalId ? [p.row.externalId] : []));
    const existing = new Map(
      (await this.repo.findByExternalIds(tx, orgId, employeeId, externalIds)).map((c) => [c.externalId, c]),
    );
    const holds = (p: PendingRow) => !!p.row.externalId && !!existing.get(p.row.externalId)?.active;

    // Capacity: rows that need a relation, in file order, up to the free slots.
    const needing = batch.filter((p) => !holds(p));
    const slots = await this.freeSlots(
      tx,
      { ...employee, activeCustomerCount: employee.activeCustomerCount + run.heldInDryRun },
      needing.length,
    );
    const overCapacity = needing.slice(slots);
    const over = new Set(overCapacity);
    const rows = batch.filter((p) => !over.has(p));

    // Customers: upsert on externalId (new or changed profiles only:
    // an identical row is not even locked), plain inserts without one.
    const withExternalId = rows.filter((p) => p.row.externalId);
    const toUpsert = withExternalId.filter((p) => {
      const c = existing.get(p.row.externalId!);
      return (
        !c ||
        c.name !== p.row.name ||
        (p.row.company !== null && p.row.company !== c.company) ||
        (p.row.phone !== null && p.row.phone !== c.phone)
      );
    });
    const upserted = await this.customersRepo.upsertByExternalId(
      tx,
      orgId,
      toUpsert.map((p) => ({ ...values(p.row), externalId: p.row.externalId! })),
    );
    const idByExternalId = new Map(upserted.map((u) => [u.externalId, u.id]));
    for (const [externalId, c] of existing) if (!idByExternalId.has(externalId)) idByExternalId.set(externalId, c.id);
    const unresolved = withExternalId.map((p) => p.row.externalId!).filter((x) => !idByExternalId.has(x));
    for (const [externalId, id] of await this.repo.idsByExternalId(tx, orgId, unresolved))
      idByExternalId.set(externalId, id);
    const plain = rows.filter((p) => !p.row.externalId).map((p) => ({ p, id: randomUUID() }));
    await this.repo.insertMany(tx, orgId, plain.map(({ p, id }) => ({ ...values(p.row), id })));
    const customerIdOf = new Map<PendingRow, string>(plain.map(({ p, id }) => [p, id]));
    for (const p of withExternalId) customerIdOf.set(p, idByExternalId.get(p.row.externalId!)!);

    // Relations with their timeline events, and the employee's counter.
    const toRelate = rows
      .filter((p) => !holds(p))
      .map((p) => ({ customerId: customerIdOf.get(p)!, state: p.row.state, remark: p.row.remark }));
    const relations = await this.repo.addRelations(tx, orgId, employeeId, toRelate, new Date());
    if (relations.length) await this.employees.adjustActiveCustomerCount(tx, orgId, employeeId, relations.length);
    await this.customers.relationsAdded(tx, relations);
    const related = relations.map((r) => r.customerId);

    // search_text covers the profile and the relation remarks (as upsertByExternalId and addRelation keep it).
    // New customers got it at insert (their one relation's remark included); existing ones are recomputed.
    const relatedSet = new Set(related);
    const created = new Set([...upserted.filter((u) => u.created).map((u) => u.id), ...plain.map(({ id }) => id)]);
    const refresh = new Set(upserted.filter((u) => !u.created).map((u) => u.id));
    for (const r of toRelate)
      if (r.remark && relatedSet.has(r.customerId) && !created.has(r.customerId)) refresh.add(r.customerId);
    if (refresh.size) await this.customersRepo.refreshSearchText(tx, orgId, [...refresh]);

    const outcome: BatchOutcome = {
      overCapacity,
      created: created.size,
      updated: upserted.filter((u) => !u.created).length,
      newRelations: related.length,
      unchanged: rows.length - related.length,
    };
    if (run.opts.dryRun) throw new DryRunRollback(outcome);
    return outcome;
  }

  /**
   * How many of `wanted` new relations fit the employee's capacity,
   * by CustomersService's own rule (reservations included).
   */
  private async freeSlots(tx: Tx, employee: EmployeeEntity, wanted: number): Promise<number> {
    if (wanted === 0) return 0;
    return Math.min(wanted, await this.customers.freeCapacity(tx, employee));
  }
}

function assertActive(employee: EmployeeEntity): void {
  if (employee.status !== 'ACTIVE') {
    throw AppError.conflict(`employee ${employee.name} is ${employee.status.toLowerCase()} and cannot take customers`, {
      field: 'employeeId',
    });
  }
}

function values(r: ImportRow): CustomerImportValues {
  return {
    externalId: r.externalId,
    name: r.name,
    company: r.company,
    phone: r.phone,
    stage: r.stage,
    remark: r.remark,
  };
}

/** deadlock_detected, serialization_failure */
function isRetryable(e: unknown): boolean {
  const code =
    (e as { code?: string; driverError?: { code?: string } }).code ??
    (e as { driverError?: { code?: string } }).driverError?.code;
  return code === '40P01' || code === '40001';
}
