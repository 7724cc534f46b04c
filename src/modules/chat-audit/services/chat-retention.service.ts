import { Injectable, Logger } from '@nestjs/common';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { KeywordRulesRepository } from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { ChatArchiveRepository, nextMonth } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { monthsOf } from './ingest-rules';

const DAY_MS = 86_400_000;
/** Partitions kept ready ahead of the current month, so live ingest never waits to create one. */
const MONTHS_AHEAD = 2;

export interface PurgeResult {
  /** Months whose partition was dropped whole. */
  dropped: string[];
  /** Rows deleted one by one in months that were not entirely expired. */
  deleted: number;
}

/**
 * Retention (DOMAIN.md: messages older than chatRetentionDays are purged
 * daily). Month partitions hold every organization's messages: a month is
 * dropped whole when every organization with messages in it has a retention
 * and that month ended before its cutoff; otherwise only the expired rows of
 * the organizations whose cutoff falls after the month's start are deleted
 * (the boundary month, or a month shared with an organization that keeps
 * its messages longer).
 */
@Injectable()
export class ChatRetentionService {
  private readonly logger = new Logger('ChatRetention');

  constructor(
    private readonly archive: ChatArchiveRepository,
    private readonly organizations: OrganizationsService,
    private readonly rules: KeywordRulesRepository,
  ) {}

  /** Creates this month's and the next months' partitions when missing. */
  async prepareMonths(now = new Date()): Promise<void> {
    let month = monthsOf([now])[0];
    const months = [month];
    for (let i = 0; i < MONTHS_AHEAD; i++) months.push((month = nextMonth(month)));
    await this.archive.createPartitions(await this.archive.missingPartitions(months));
  }

  async purge(now = new Date()): Promise<PurgeResult> {
    const cutoffs = new Map<string, Date | null>();
    const cutoffOf = async (orgId: string): Promise<Date | null> => {
      if (!cutoffs.has(orgId)) {
        const days = (await this.organizations.get(orgId)).chatRetentionDays;
        cutoffs.set(orgId, days === null ? null : new Date(now.getTime() - days * DAY_MS));
      }
      return cutoffs.get(orgId)!;
    };
    const result: PurgeResult = { dropped: [], deleted: 0 };
    const purgedOrgs = new Set<string>();
    for (const month of await this.archive.partitions()) {
      const start = new Date(`${month}T00:00:00Z`);
      const end = new Date(`${nextMonth(month)}T00:00:00Z`);
      if (start.getTime() > now.getTime()) continue;
      const orgs = await this.archive.orgsIn(month);
      if (!orgs.length) continue;
      const cut = await Promise.all(orgs.map(cutoffOf));
      if (cut.every((c) => c !== null && c.getTime() >= end.getTime())) {
        await this.archive.dropPartition(month);
        result.dropped.push(month);
        orgs.forEach((o) => purgedOrgs.add(o));
        continue;
      }
      for (let i = 0; i < orgs.length; i++) {
        const c = cut[i];
        if (c === null || c.getTime() <= start.getTime()) continue;
        const n = await this.archive.deleteBefore(orgs[i], month, c);
        if (n) purgedOrgs.add(orgs[i]);
        result.deleted += n;
      }
    }
    for (const orgId of purgedOrgs) {
      const cutoff = (await cutoffOf(orgId))!;
      await this.archive.afterPurge(orgId, cutoff);
      // Alerts go with their messages (they have no foreign key to the partitioned table).
      await this.rules.deleteAlertsBefore(orgId, cutoff);
    }
    if (result.dropped.length || result.deleted)
      this.logger.log({ msg: 'chat messages purged', dropped: result.dropped, deleted: result.deleted });
    return result;
  }
}
