import DataLoader from 'dataloader';
import { Args, Info, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { IdArg } from 'src/core/graphql/id-arg';
import { mapPage } from 'src/core/graphql/pagination';
import { PREFETCHED, selectedBelow, WithPrefetched } from 'src/core/graphql/look-ahead';
import { EventBus } from 'src/core/realtime/event-bus';
import { toDepartment } from 'src/modules/org/resolvers/departments.resolver';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { departmentLoader, employeeLoader } from 'src/modules/org/resolvers/org.loaders';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Department, Employee } from 'src/modules/org/types/org.types';
import {
  AuditAlertFilter,
  KeywordRuleInput,
  UpdateAuditAlertInput,
  UpdateKeywordRuleInput,
} from 'src/modules/chat-audit/dto/chat.inputs';
import { MessageRow } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { AlertRow, KeywordRuleRow } from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { AUDIT_ALERT_RAISED, AuditAlertsService } from 'src/modules/chat-audit/services/audit-alerts.service';
import { ChatReadService } from 'src/modules/chat-audit/services/chat-read.service';
import { KeywordRulesService } from 'src/modules/chat-audit/services/keyword-rules.service';
import {
  AlertStatus,
  AuditAlert,
  AuditAlertConnection,
  ChatMessage,
  KeywordRule,
  KeywordRuleTestResult,
  MessageType,
  Semantic,
  SenderType,
  Severity,
} from 'src/modules/chat-audit/types/chat.types';
import { expandEvents } from './alert-events';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

export const toKeywordRule = (r: KeywordRuleRow): KeywordRule => ({
  id: r.id,
  orgId: r.orgId,
  name: r.name,
  keywords: r.keywords,
  semantics: r.semantics as Semantic[],
  appliesTo: r.appliesTo as SenderType[],
  departmentIds: r.departmentIds,
  notifyEmployeeIds: r.notifyEmployeeIds,
  departments: [],
  notify: [],
  severity: r.severity as Severity,
  enabled: r.enabled,
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

export const toAuditAlert = (a: AlertRow): AuditAlert =>
  ({
    id: a.id,
    orgId: a.orgId,
    ruleId: a.ruleId,
    messageId: a.messageId,
    messageSentAt: new Date(a.messageSentAt),
    employeeId: a.employeeId,
    matched: a.matched,
    status: a.status as AlertStatus,
    severity: a.severity as Severity,
    createdAt: new Date(a.createdAt),
    acknowledgedById: a.acknowledgedById,
    acknowledgedAt: a.acknowledgedAt ? new Date(a.acknowledgedAt) : null,
    acknowledgedNote: a.acknowledgedNote,
    resolvedById: a.resolvedById,
    resolvedAt: a.resolvedAt ? new Date(a.resolvedAt) : null,
    resolvedNote: a.resolvedNote,
  }) as AuditAlert;

const toMessage = (m: MessageRow): ChatMessage => ({
  id: m.id,
  orgId: m.orgId,
  conversationId: m.conversationId,
  externalId: m.externalId,
  senderType: m.senderType as SenderType,
  type: m.type as MessageType,
  text: m.text,
  contentWithheld: m.contentWithheld,
  sentAt: new Date(m.sentAt),
});

/** Keyword rules: organization-wide to keywordRule:read; changed with keywordRule:manage. */
@Resolver(() => KeywordRule)
export class KeywordRulesResolver {
  constructor(
    private readonly rules: KeywordRulesService,
    private readonly departmentsService: DepartmentsService,
    private readonly employees: EmployeesService,
  ) {}

  @Query(() => [KeywordRule], { description: 'The organization’s keyword rules, oldest first.' })
  @RequirePermission('keywordRule', 'read')
  async keywordRules(@CurrentActor() actor: Actor): Promise<KeywordRule[]> {
    return (await this.rules.list(actor)).map(toKeywordRule);
  }

  @Query(() => KeywordRuleTestResult, {
    description:
      'What a rule would match in a text ("test this text"): keywords and detectors with positions. Nothing is stored.',
  })
  @RequirePermission('keywordRule', 'read')
  testKeywordRule(
    @CurrentActor() actor: Actor,
    @Args('rule') rule: KeywordRuleInput,
    @Args('text') text: string,
  ): Promise<KeywordRuleTestResult> {
    return this.rules.test(actor, rule, text);
  }

  @Mutation(() => KeywordRule, {
    description: 'Applies to messages ingested from the next batch on, in every process.',
  })
  @RequirePermission('keywordRule', 'manage')
  async createKeywordRule(@CurrentActor() actor: Actor, @Args('input') input: KeywordRuleInput): Promise<KeywordRule> {
    return toKeywordRule(await this.rules.create(actor, input));
  }

  @Mutation(() => KeywordRule, { description: 'Replaces the rule’s values; applies from the next ingest batch on.' })
  @RequirePermission('keywordRule', 'manage')
  async updateKeywordRule(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateKeywordRuleInput,
  ): Promise<KeywordRule> {
    return toKeywordRule(await this.rules.update(actor, input.id, input.rule));
  }

  @Mutation(() => Boolean, { description: 'The rule matches nothing any more; its alerts stay and keep naming it.' })
  @RequirePermission('keywordRule', 'manage')
  deleteKeywordRule(@CurrentActor() actor: Actor, @IdArg('a keyword rule') id: string): Promise<boolean> {
    return this.rules.delete(actor, id);
  }

  @ResolveField(() => [Department])
  async departments(@Parent() r: KeywordRule, @Ctx() ctx: GqlContext): Promise<Department[]> {
    const rows = await departmentLoader(ctx, r.orgId, this.departmentsService).loadMany(r.departmentIds);
    return rows.filter((d): d is Parameters<typeof toDepartment>[0] => !!d && !(d instanceof Error)).map(toDepartment);
  }

  @ResolveField(() => [Employee])
  async notify(@Parent() r: KeywordRule, @Ctx() ctx: GqlContext): Promise<Employee[]> {
    const rows = await employeeLoader(ctx, r.orgId, this.employees).loadMany(r.notifyEmployeeIds);
    return rows.filter((e): e is Parameters<typeof toEmployee>[0] => !!e && !(e instanceof Error)).map(toEmployee);
  }
}

/** Alerts: alert:read / alert:update, within their data scope over the conversation's employee. */
@Resolver(() => AuditAlert)
export class AuditAlertsResolver {
  constructor(
    private readonly alerts: AuditAlertsService,
    private readonly rules: KeywordRulesService,
    private readonly reads: ChatReadService,
    private readonly employees: EmployeesService,
    private readonly bus: EventBus,
  ) {}

  @Query(() => AuditAlertConnection, { description: 'Newest first, within the data scope of alert:read.' })
  @RequirePermission('alert', 'read')
  async auditAlerts(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => AuditAlertFilter, nullable: true }) filter?: AuditAlertFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<AuditAlertConnection> {
    return mapPage(await this.alerts.page(actor, filter, first, after), toAuditAlert);
  }

  @Mutation(() => AuditAlert, {
    description:
      'ACKNOWLEDGED (from OPEN) or RESOLVED (from OPEN or ACKNOWLEDGED), recording who, when and the note; other moves are CONFLICT.',
  })
  @RequirePermission('alert', 'update')
  async updateAuditAlert(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateAuditAlertInput,
  ): Promise<AuditAlert> {
    return toAuditAlert(await this.alerts.update(actor, input));
  }

  @Subscription(() => AuditAlert, {
    description:
      'Each alert raised (after its ingest has committed) that the caller’s alert:read scope reaches, checked again for every event.',
  })
  @RequirePermission('alert', 'read')
  auditAlertRaised(
    @CurrentActor() actor: Actor,
    @Info() info: GraphQLResolveInfo,
  ): AsyncIterator<{ auditAlertRaised: AuditAlert }> {
    // graphql-ws runs the selection once per alert, so a DataLoader there batches nothing: an event of 100 alerts
    // would read 100 messages one by one and log 100 reads. When `message` is selected, the event's messages are
    // read (and the read logged) once, ahead, and handed to each alert.
    const wantsMessage = selectedBelow(info, ['message']).length > 0;
    return expandEvents(this.bus.subscribe(AUDIT_ALERT_RAISED, actor.orgId), async (e) => {
      const ids = (e.payload as { alertIds?: unknown }).alertIds;
      if (!Array.isArray(ids)) return [];
      const rows = await this.alerts.visible(
        actor,
        ids.filter((x): x is string => typeof x === 'string'),
      );
      const messages = wantsMessage && rows.length
        ? await this.reads.alertMessages(
            actor,
            rows.map((a) => ({ id: a.messageId, sentAt: new Date(a.messageSentAt) })),
          )
        : null;
      return rows.reverse().map((a) => {
        const alert: WithPrefetched<AuditAlert, MessageRow> = toAuditAlert(a);
        const message = messages?.get(a.messageId);
        if (message) alert[PREFETCHED] = message;
        return { auditAlertRaised: alert };
      });
    });
  }

  @ResolveField(() => KeywordRule)
  async rule(@Parent() a: AuditAlert, @Ctx() ctx: GqlContext): Promise<KeywordRule> {
    const l = loader(
      ctx,
      `chatKeywordRule:${a.orgId}`,
      () =>
        new DataLoader<string, KeywordRuleRow | null>(async (ids) => {
          const map = new Map((await this.rules.byIds(a.orgId, ids)).map((r) => [r.id, r]));
          return ids.map((id) => map.get(id) ?? null);
        }),
    );
    return toKeywordRule((await l.load(a.ruleId))!);
  }

  @ResolveField(() => ChatMessage, {
    description: 'Its text only where the caller’s chat:read scope reaches the conversation (null otherwise); logged.',
  })
  async message(
    @Parent() a: WithPrefetched<AuditAlert, MessageRow>,
    @Ctx() ctx: GqlContext,
    @CurrentActor() actor: Actor,
  ): Promise<ChatMessage> {
    const ahead = a[PREFETCHED];
    if (ahead) return toMessage(ahead);
    const l = loader(
      ctx,
      `chatAlertMessage:${a.orgId}`,
      () =>
        new DataLoader<{ id: string; sentAt: Date }, MessageRow | null, string>(
          async (keys) => {
            const map = await this.reads.alertMessages(actor, keys);
            return keys.map((k) => map.get(k.id) ?? null);
          },
          { cacheKeyFn: (k) => k.id },
        ),
    );
    return toMessage((await l.load({ id: a.messageId, sentAt: a.messageSentAt }))!);
  }

  @ResolveField(() => Employee, { nullable: true })
  async acknowledgedBy(@Parent() a: AuditAlert, @Ctx() ctx: GqlContext): Promise<Employee | null> {
    if (!a.acknowledgedById) return null;
    const e = await employeeLoader(ctx, a.orgId, this.employees).load(a.acknowledgedById);
    return e ? toEmployee(e) : null;
  }

  @ResolveField(() => Employee, { nullable: true })
  async resolvedBy(@Parent() a: AuditAlert, @Ctx() ctx: GqlContext): Promise<Employee | null> {
    if (!a.resolvedById) return null;
    const e = await employeeLoader(ctx, a.orgId, this.employees).load(a.resolvedById);
    return e ? toEmployee(e) : null;
  }
}
