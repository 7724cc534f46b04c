import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Actor } from 'src/core/authz/actor';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { AddCustomerNoteInput } from 'src/modules/customers/dto/customer.inputs';
import { CustomerNoteEntity, NoteKindValue } from 'src/modules/customers/entities/customer-note.entity';
import { NotesRepository } from 'src/modules/customers/repositories/notes.repository';
import { CustomersRepository } from 'src/modules/customers/repositories/customers.repository';
import { NoteKind } from 'src/modules/customers/types/customer.types';
import { CustomersService } from './customers.service';
import { TimelineService } from './timeline.service';

const isDueKey = (v: string) => v === 'infinity' || !Number.isNaN(Date.parse(v));

const KIND_LABEL: Record<NoteKindValue, string> = { NOTE: 'Note', CALL: 'Call', VISIT: 'Visit', TASK: 'Task' };

@Injectable()
export class NotesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly notes: NotesRepository,
    private readonly customerRows: CustomersRepository,
    private readonly customers: CustomersService,
    private readonly timeline: TimelineService,
  ) {}

  /** Notes, calls, visits (contact logged now) and tasks with a due date. Only employees write notes. */
  async add(actor: Actor, input: AddCustomerNoteInput): Promise<CustomerNoteEntity> {
    if (actor.kind !== 'employee' || !actor.employeeId)
      throw AppError.forbidden('Notes are written by employees; an API key has no author');
    const kind = (input.kind ?? NoteKind.NOTE) as NoteKindValue;
    if (input.dueAt && kind !== 'TASK') throw AppError.badInput('input.dueAt', 'only TASK notes have a due date');
    const customer = await this.customers.get(actor, input.customerId, 'note', 'input.customerId');
    return this.uow.run(async (tx) => {
      const note = await this.notes.insert(tx, {
        orgId: actor.orgId,
        customerId: customer.id,
        authorId: actor.employeeId!,
        kind,
        body: input.body.trim(),
        dueAt: input.dueAt ?? null,
      });
      if (kind === 'CALL' || kind === 'VISIT')
        await this.customerRows.markContacted(tx, actor.orgId, customer.id, new Date(note.createdAt));
      await this.timeline.record(tx, {
        orgId: actor.orgId,
        customerId: customer.id,
        type: 'note.added',
        occurredAt: new Date(note.createdAt),
        employeeId: actor.employeeId,
        summary: `${KIND_LABEL[kind]}: ${note.body.slice(0, 120)}`,
        data: { noteId: note.id, kind, dueAt: note.dueAt },
      });
      return note;
    });
  }

  /** Marks a follow-up task done (idempotent). */
  /**
   * Marks a task done once: the customer's scope is checked before anything
   * about the note is told, and of concurrent completions only the one that
   * sets done_at writes the timeline.
   */
  async complete(actor: Actor, id: string): Promise<CustomerNoteEntity> {
    const note = await this.notes.findById(actor.orgId, id);
    if (!note) throw new AppError('NOT_FOUND', `id: task ${id} not found`, { field: 'id' });
    await this.customers.get(actor, note.customerId, 'note', 'id');
    if (note.kind !== 'TASK') throw AppError.badInput('id', `is a ${note.kind} note; only TASK notes can be completed`);
    if (note.doneAt) return note;
    return this.uow.run(async (tx) => {
      const done = await this.notes.markDone(tx, actor.orgId, id, new Date());
      if (!done) return (await this.notes.findById(actor.orgId, id, tx))!;
      await this.timeline.record(tx, {
        orgId: actor.orgId,
        customerId: note.customerId,
        type: 'task.done',
        employeeId: actor.employeeId ?? null,
        summary: `Task done: ${note.body.slice(0, 120)}`,
        data: { noteId: note.id },
      });
      return done;
    });
  }

  /**
   * The caller's follow-up tasks (NotesRepository.tasksPage), due first.
   * Employees only: an API key follows no customer.
   */
  async myTasks(
    actor: Actor,
    filter: { done?: boolean | null; dueBefore?: Date | null },
    first?: number,
    after?: string | null,
  ): Promise<Page<CustomerNoteEntity>> {
    if (actor.kind !== 'employee' || !actor.employeeId) throw AppError.forbidden('An API key has no tasks of its own');
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    // The cursor's values reach SQL casts: a forged one is bad input, not a database error.
    if (
      cursor &&
      !(
        typeof cursor[0] === 'string' &&
        isDueKey(cursor[0]) &&
        typeof cursor[1] === 'string' &&
        isUUID(cursor[1], 'all')
      )
    ) {
      throw AppError.badInput('after', 'is not a valid cursor');
    }
    const scope = await this.customers.scope(actor, 'read');
    const rows = await this.notes.tasksPage(actor.orgId, {
      employeeId: actor.employeeId,
      scope,
      done: filter.done,
      dueBefore: filter.dueBefore,
      after: cursor,
      limit: limit + 1,
    });
    return toPage(rows, limit, (n) => [n.dueAt ? new Date(n.dueAt).toISOString() : 'infinity', n.id]);
  }

  async page(
    orgId: string,
    customerId: string,
    first?: number,
    after?: string | null,
  ): Promise<Page<CustomerNoteEntity>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    const rows = await this.notes.page(orgId, customerId, cursor, limit + 1);
    return toPage(rows, limit, (n) => [new Date(n.createdAt).toISOString(), n.id]);
  }
}
