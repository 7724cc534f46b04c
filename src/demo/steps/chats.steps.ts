import { ChatMessageInput, KeywordRuleInput, RecordConsentInput } from 'src/modules/chat-audit/dto/chat.inputs';
import { ChatIngestService } from 'src/modules/chat-audit/services/chat-ingest.service';
import { KeywordRulesService } from 'src/modules/chat-audit/services/keyword-rules.service';
import { ConsentStatus, MessageType, SenderType, Severity } from 'src/modules/chat-audit/types/chat.types';
import { DEMO_CONVERSATIONS, DEMO_KEYWORD_RULE } from 'src/demo/chat-data';
import { SeedContext, SeedStep } from 'src/demo/seed-context';

/** The demo's day is Shanghai's (UTC+8 all year): `days` before the seed ran, at that wall-clock time. */
function shanghaiTime(now: Date, [days, hour, minute]: readonly [number, number, number]): Date {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  return new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - days, hour - 8, minute),
  );
}

/** The n-th customer (in seed order) an employee follows, from the relations the customers step recorded. */
function customerOf(ctx: SeedContext, employee: string, n: number): string {
  const keys = ctx.ids
    .entries('rel:')
    .map(([key]) => key)
    .filter((key) => key.endsWith(`:${employee}`));
  const key = keys[n];
  if (!key) throw new Error(`demo seed: ${employee} follows fewer than ${n + 1} customers`);
  return ctx.ids.get(`cust:${key.slice('rel:'.length, -`:${employee}`.length)}`);
}

/**
 * The archived chats (../chat-data.ts): the auditor's keyword rule first, so
 * that the chats' hits raise alerts (and notify the auditor), then a consent
 * refusal, then the messages, all through the chat archive's services as a
 * connector would send them. The KPI counts them as it counts live ingest.
 */
export const chatsStep: SeedStep = {
  name: 'chats',
  async run(ctx) {
    const rule = await ctx.get(KeywordRulesService).create(
      ctx.admin,
      ctx.input(KeywordRuleInput, {
        name: DEMO_KEYWORD_RULE.name,
        keywords: [...DEMO_KEYWORD_RULE.keywords],
        severity: Severity[DEMO_KEYWORD_RULE.severity],
        notifyEmployeeIds: DEMO_KEYWORD_RULE.notify.map((e) => ctx.ids.get(`emp:${e}`)),
      }),
    );
    ctx.ids.set('keywordRule:off-platform', rule.id);

    const ingest = ctx.get(ChatIngestService);
    const messages: ChatMessageInput[] = [];
    for (const [i, c] of DEMO_CONVERSATIONS.entries()) {
      const employeeId = ctx.ids.get(`emp:${c.employee}`);
      const customerId = customerOf(ctx, c.employee, c.customer);
      if (c.refusesAt) {
        await ingest.recordConsent(
          ctx.admin,
          ctx.input(RecordConsentInput, {
            customerId,
            employeeId,
            status: ConsentStatus.DISAGREED,
            changedAt: shanghaiTime(ctx.now, c.refusesAt),
          }),
        );
      }
      c.lines.forEach((line, j) =>
        messages.push(
          ctx.input(ChatMessageInput, {
            externalId: `demo-chat-${i + 1}-${j + 1}`,
            employeeId,
            customerId,
            senderType: SenderType[line.from],
            type: MessageType.TEXT,
            text: line.text,
            sentAt: shanghaiTime(ctx.now, line.at),
          }),
        ),
      );
    }
    const result = await ingest.ingest(ctx.admin, messages);
    if (result.rejected.length) throw new Error(`demo seed: chats refused: ${JSON.stringify(result.rejected)}`);
  },
};
