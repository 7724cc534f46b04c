import { Injectable, Logger } from '@nestjs/common';
import { Actor } from 'src/core/authz/actor';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { ChatMessageInput, MAX_INGEST_BATCH, RecordConsentInput } from 'src/modules/chat-audit/dto/chat.inputs';
import { ConsentStatusValue } from 'src/modules/chat-audit/entities/chat-consent.entity';
import {
  ChatArchiveRepository,
  ConsentChange,
  MessageToStore,
} from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { ConsentStatus, RejectedMessage } from 'src/modules/chat-audit/types/chat.types';
import { AuditAlertsService, WrittenAlerts } from './audit-alerts.service';
import { ChatRulesCache } from './chat-rules-cache';
import { PartitionAnalyzer } from './partition-analyzer';
import { SearchIndexCleaner } from './search-index-cleaner';
import { CheckedMessage, checkMessage, MAX_FUTURE_MS, monthsOf } from './ingest-rules';
import { StoredMessages } from 'src/modules/chat-audit/chat-audit.fragments';
import { SqlRunner } from 'src/modules/chat-audit/repositories/chat-archive.repository';

/**
 * Runs in the transaction that stored messages (ingest or bulk import), after they are written: `stored` reads
 * them (KPI rollups recompute their conversation-days so that the numbers commit with the messages).
 */
export type MessagesStoredHook = (db: SqlRunner, orgId: string, stored: StoredMessages) => Promise<void>;

const DAY_MS = 86_400_000;
/**
 * The GIN pending list an ingest transaction may grow (gin_pending_list_limit) before it merges the list into the
 * search index itself: far above one batch's grams (about 2 MB per 1000 messages), so that a batch only appends
 * and SearchIndexCleaner merges after commit; reached only when the cleaner falls behind.
 */
const INGEST_GIN_PENDING_LIST = '32MB';
/**
 * PostgreSQL: "no partition of relation found for row" (a month dropped by retention between our check and the insert).
 */
const NO_PARTITION = '23514';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedMessage[];
}

/**
 * Chat ingest (DOMAIN.md "Chat audit"): each message is checked alone and a
 * bad one rejected with its index and reason; the rest are stored in one
 * transaction, idempotently on (organization, externalId), with their
 * conversations and the consent their AGREE/DISAGREE messages record.
 */
@Injectable()
export class ChatIngestService {
  private readonly logger = new Logger('ChatIngest');
  private readonly storedHooks: MessagesStoredHook[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly archive: ChatArchiveRepository,
    private readonly employees: EmployeesService,
    private readonly customers: CustomersService,
    private readonly organizations: OrganizationsService,
    private readonly rulesCache: ChatRulesCache,
    private readonly alerts: AuditAlertsService,
    private readonly searchIndex: SearchIndexCleaner,
    private readonly partitions: PartitionAnalyzer,
  ) {}

  /** Registers a hook run in the storing transaction (see MessagesStoredHook). */
  onMessagesStored(hook: MessagesStoredHook): void {
    this.storedHooks.push(hook);
  }

  /** Runs the stored-messages hooks; the storing transaction calls it after mergeStage (a bulk import: per slice). */
  async messagesStored(db: SqlRunner, orgId: string, accepted: number): Promise<void> {
    if (!accepted) return;
    for (const hook of this.storedHooks) await hook(db, orgId, StoredMessages.ofThisTransaction());
  }

  async ingest(actor: Actor, messages: readonly ChatMessageInput[]): Promise<IngestResult> {
    if (messages.length > MAX_INGEST_BATCH)
      throw AppError.badInput('input.messages', `must list at most ${MAX_INGEST_BATCH} messages`);
    return this.ingestBatch(
      actor.orgId,
      messages.map((m, index) => ({ index, message: m })),
    );
  }

  /**
   * A batch checked and stored as `ingest` does (indexes are the caller's, e.g.
   * a file's line numbers); `inTransaction` runs in the batch's transaction
   * after the messages are written, even when none were (an archive importer
   * records its position there, so the position and the messages commit together).
   */
  async ingestBatch(
    orgId: string,
    batch: ReadonlyArray<{ index: number; message: ChatMessageInput }>,
    inTransaction?: (tx: Tx) => Promise<void>,
  ): Promise<IngestResult> {
    const { ready, rejected } = await this.prepare(orgId, batch);
    let accepted = 0;
    if (ready.length || inTransaction) {
      try {
        accepted = await this.store(orgId, ready, inTransaction);
      } catch (e) {
        if ((e as { code?: string }).code !== NO_PARTITION) throw e;
        accepted = await this.store(orgId, ready, inTransaction);
      }
    }
    this.logger.log({
      msg: 'chat messages ingested',
      orgId,
      accepted,
      duplicates: ready.length - accepted,
      rejected: rejected.length,
    });
    return { accepted, duplicates: ready.length - accepted, rejected };
  }

  /**
   * The checks of DOMAIN.md "Chat audit", for a batch of messages (GraphQL or a
   * bulk file's lines): each alone, then who it names resolved in two
   * statements per side; and no message older than the organization's
   * retention (it would only be purged). `index` is reported with a rejection.
   */
  async prepare(
    orgId: string,
    batch: ReadonlyArray<{ index: number; message: ChatMessageInput }>,
  ): Promise<{ ready: Array<MessageToStore & { line: number }>; rejected: RejectedMessage[] }> {
    const now = Date.now();
    const rejected: RejectedMessage[] = [];
    const checked: CheckedMessage[] = [];
    for (const { index, message } of batch) {
      const r = checkMessage(message, index, now);
      if ('reason' in r)
        rejected.push({
          index,
          externalId: typeof message.externalId === 'string' ? message.externalId : null,
          reason: r.reason,
        });
      else checked.push(r.ok);
    }
    const [employees, customers, org] = await Promise.all([
      this.resolveEmployees(orgId, checked),
      this.resolveCustomers(orgId, checked),
      this.organizations.get(orgId),
    ]);
    const cutoff = org.chatRetentionDays === null ? null : now - org.chatRetentionDays * DAY_MS;
    const ready: Array<MessageToStore & { line: number }> = [];
    for (const m of checked) {
      const employeeId =
        m.employee.id !== undefined
          ? employees.byId.has(m.employee.id) && m.employee.id
          : employees.byExternal.get(m.employee.externalId!);
      const customerId =
        m.customer.id !== undefined
          ? customers.byId.has(m.customer.id) && m.customer.id
          : customers.byExternal.get(m.customer.externalId!);
      const reason = !employeeId
        ? 'employee: unknown employee'
        : !customerId
          ? 'customer: unknown customer'
          : cutoff !== null && m.sentAt.getTime() < cutoff
            ? `sentAt: older than the organization's chat retention (${org.chatRetentionDays} days)`
            : null;
      if (reason) rejected.push({ index: m.index, externalId: m.externalId, reason });
      else ready.push({ ...m, line: m.index, employeeId: employeeId as string, customerId: customerId as string });
    }
    rejected.sort((a, b) => a.index - b.index);
    return { ready, rejected };
  }

  /**
   * Writes the messages whose keys are new (through the staging table, as bulk imports do) and the alerts
   * the organization's keyword rules raise on them, in one transaction; `inTransaction` runs in it after the
   * messages are written (even when none were). Announces the alerts after commit; returns how many messages
   * were stored.
   */
  private async store(
    orgId: string,
    messages: ReadonlyArray<MessageToStore & { line: number }>,
    inTransaction?: (tx: Tx) => Promise<void>,
  ): Promise<number> {
    // The rules version is read once per batch: a rule change committed anywhere applies from the next batch.
    const compiled = await this.rulesCache.forOrg(orgId);
    const hits = this.alerts.hitsOf(compiled, messages);
    await this.archive.createPartitions(await this.archive.missingPartitions(monthsOf(messages.map((m) => m.sentAt))));
    const { accepted, written } = await this.uow.run(async (tx) => {
      let merged = 0;
      let alerts: WrittenAlerts | null = null;
      if (messages.length) {
        await this.archive.setPendingSearchGramsLimit(tx, INGEST_GIN_PENDING_LIST);
        await this.archive.createStage(tx);
        await this.archive.stageRows(tx, messages);
        merged = (await this.archive.mergeStage(tx, orgId, this.alerts.erasedIn(orgId))).accepted;
        await this.messagesStored(tx, orgId, merged);
        alerts = await this.alerts.write(tx, orgId, hits, compiled);
      }
      await inTransaction?.(tx);
      return { accepted: merged, written: alerts };
    });
    if (accepted) {
      const months = monthsOf(messages.map((m) => m.sentAt));
      this.searchIndex.request(months);
      this.partitions.request(months);
    }
    if (written) await this.alerts.announce(written);
    return accepted;
  }

  /**
   * recordConsent: a change of the customer's consent (for one employee's
   * conversations, or all), effective from `changedAt` (now by default). A
   * DISAGREED change erases the content of messages already stored from then on.
   */
  async recordConsent(actor: Actor, input: RecordConsentInput): Promise<ConsentStatus> {
    const changedAt = input.changedAt ?? new Date();
    if (changedAt.getTime() > Date.now() + MAX_FUTURE_MS)
      throw AppError.badInput('input.changedAt', 'must not be more than 5 minutes in the future');
    const [customer] = await this.customers.findByIds(actor.orgId, [input.customerId]);
    if (!customer)
      throw new AppError('NOT_FOUND', `input.customerId: customer ${input.customerId} not found`, {
        field: 'input.customerId',
      });
    if (input.employeeId && !(await this.employees.findById(actor.orgId, input.employeeId))) {
      throw new AppError('NOT_FOUND', `input.employeeId: employee ${input.employeeId} not found`, {
        field: 'input.employeeId',
      });
    }
    const change: ConsentChange = {
      customerId: input.customerId,
      employeeId: input.employeeId ?? null,
      status: input.status as ConsentStatusValue,
      changedAt,
    };
    // A refusal erases the content stored from then on, and the alerts raised on it with their notices.
    const withhold = async (tx: Tx) => {
      const e = await this.archive.withholdSince(tx, actor.orgId, change.customerId, change.employeeId, changedAt);
      if (e.alertIds.length) await this.alerts.erasedIn(actor.orgId)(tx, e.alertIds);
      return e;
    };
    const first = await this.uow.run(async (tx) => {
      await this.archive.insertConsents(tx, actor.orgId, [change], 'API', actor.employeeId ?? null);
      return change.status === 'DISAGREED' ? withhold(tx) : null;
    });
    let erased = first?.messages ?? 0;
    let alerts = first?.alertIds.length ?? 0;
    if (change.status === 'DISAGREED') {
      // Ingests in flight when the refusal committed: those past their consent re-check are awaited, then their
      // messages erased here; the others' re-check sees the refusal (ChatArchiveRepository.mergeStage).
      await this.archive.awaitIngestsInCommit(actor.orgId);
      const late = await this.uow.run(withhold);
      erased += late.messages;
      alerts += late.alertIds.length;
    }
    this.logger.log({
      msg: 'chat consent recorded',
      orgId: actor.orgId,
      customerId: input.customerId,
      status: input.status,
      erased,
      alerts,
    });
    return input.status;
  }

  private async resolveEmployees(orgId: string, messages: readonly CheckedMessage[]) {
    const ids = [...new Set(messages.map((m) => m.employee.id).filter((x): x is string => !!x))];
    const ext = [...new Set(messages.map((m) => m.employee.externalId).filter((x): x is string => !!x))];
    const [byIdRows, byExtRows] = await Promise.all([
      this.employees.findByIds(orgId, ids),
      this.employees.findIdsByExternalIds(orgId, ext),
    ]);
    return {
      byId: new Set(byIdRows.map((e) => e.id)),
      byExternal: new Map(byExtRows.map((e) => [e.externalId, e.id])),
    };
  }

  private async resolveCustomers(orgId: string, messages: readonly CheckedMessage[]) {
    const ids = [...new Set(messages.map((m) => m.customer.id).filter((x): x is string => !!x))];
    const ext = [...new Set(messages.map((m) => m.customer.externalId).filter((x): x is string => !!x))];
    const [byIdRows, byExtRows] = await Promise.all([
      this.customers.findByIds(orgId, ids),
      this.customers.findIdsByExternalIds(orgId, ext),
    ]);
    return {
      byId: new Set(byIdRows.map((c) => c.id)),
      byExternal: new Map(byExtRows.map((c) => [c.externalId, c.id])),
    };
  }
}
