import { Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Actor } from 'src/core/authz/actor';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError, FieldProblem } from 'src/core/errors/app-error';
import { charCount } from 'src/core/validation/storable-text';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { KeywordRuleInput } from 'src/modules/chat-audit/dto/chat.inputs';
import {
  KeywordRuleRow,
  KeywordRulesRepository,
  KeywordRuleValues,
} from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { KeywordRuleTestResult, KeywordMatchKind, SenderType, Severity } from 'src/modules/chat-audit/types/chat.types';
import { ChatMatcher, normalize, SemanticName } from './chat-matcher';
import { BLANK_MESSAGE } from 'src/core/validation/not-blank.decorator';

export const MAX_RULE_NAME = 100;
export const MAX_KEYWORD = 100;
export const MAX_KEYWORDS_PER_RULE = 1_000;
/** Keywords of all of an organization's rules: the automaton stays small and its build fast. */
export const MAX_KEYWORDS_PER_ORGANIZATION = 10_000;
export const MAX_RULE_DEPARTMENTS = 100;
export const MAX_RULE_NOTIFY = 100;
/** testKeywordRule's text: the longest chat message. */
export const MAX_TEST_TEXT = 10_000;

const SEMANTICS = new Set(['PHONE_NUMBER', 'EMAIL', 'RED_PACKET', 'BANK_CARD']);
const SENDERS = new Set<string>(Object.values(SenderType));

/**
 * Keyword rules (DOMAIN.md "Chat audit"): validated whole before the
 * database, written with a bump of the organization's rules version in the
 * same transaction (every process rebuilds its automaton before its next
 * ingest batch). Organization-wide to keywordRule:read / keywordRule:manage.
 */
@Injectable()
export class KeywordRulesService {
  private readonly logger = new Logger('KeywordRules');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly rules: KeywordRulesRepository,
    private readonly departments: DepartmentsService,
    private readonly employees: EmployeesService,
  ) {}

  list(actor: Actor): Promise<KeywordRuleRow[]> {
    return this.rules.list(actor.orgId);
  }

  byIds(orgId: string, ids: readonly string[]): Promise<KeywordRuleRow[]> {
    return this.rules.byIds(orgId, ids);
  }

  async create(actor: Actor, input: KeywordRuleInput): Promise<KeywordRuleRow> {
    const values = await this.check(actor.orgId, input, 'input');
    const row = await this.uow.run(async (tx) => {
      await this.rules.bumpVersion(tx, actor.orgId);
      await this.checkBudget(tx, actor.orgId, values, null, 'input');
      return this.rules.insert(tx, actor.orgId, values, actor.employeeId ?? null);
    });
    this.logger.log({
      msg: 'keyword rule created',
      orgId: actor.orgId,
      ruleId: row.id,
      keywords: values.keywords.length,
    });
    return row;
  }

  async update(actor: Actor, id: string, input: KeywordRuleInput): Promise<KeywordRuleRow> {
    const values = await this.check(actor.orgId, input, 'input.rule');
    const row = await this.uow.run(async (tx) => {
      await this.rules.bumpVersion(tx, actor.orgId);
      await this.checkBudget(tx, actor.orgId, values, id, 'input.rule');
      const updated = await this.rules.update(tx, actor.orgId, id, values);
      // Thrown inside: the version bump rolls back with it.
      if (!updated) throw new AppError('NOT_FOUND', `input.id: keyword rule ${id} not found`, { field: 'input.id' });
      return updated;
    });
    this.logger.log({ msg: 'keyword rule updated', orgId: actor.orgId, ruleId: id, keywords: values.keywords.length });
    return row;
  }

  /** Deletes a rule: it matches nothing any more; its alerts stay and keep naming it. */
  async delete(actor: Actor, id: string): Promise<boolean> {
    await this.uow.run(async (tx) => {
      await this.rules.bumpVersion(tx, actor.orgId);
      if (!(await this.rules.softDelete(tx, actor.orgId, id)))
        throw new AppError('NOT_FOUND', `id: keyword rule ${id} not found`, { field: 'id' });
    });
    this.logger.log({ msg: 'keyword rule deleted', orgId: actor.orgId, ruleId: id });
    return true;
  }

  /** What a rule would match in a text: checked like createKeywordRule, compiled alone, nothing stored. */
  async test(actor: Actor, input: KeywordRuleInput, text: string): Promise<KeywordRuleTestResult> {
    const problems: FieldProblem[] = [];
    if (charCount(text) > MAX_TEST_TEXT)
      problems.push({ field: 'text', message: `must be at most ${MAX_TEST_TEXT} characters` });
    const values = await this.check(actor.orgId, input, 'rule', problems);
    const matcher = new ChatMatcher([
      { id: 'test', keywords: values.keywords, semantics: values.semantics as SemanticName[] },
    ]);
    const hit = matcher.match(text)[0];
    return {
      matches: !!hit,
      matched: hit?.matched ?? [],
      positions: matcher.explain(text).map((m) => ({ ...m, kind: m.kind as KeywordMatchKind })),
    };
  }

  /**
   * Every problem of a rule at once (BAD_USER_INPUT naming each field under `prefix`), departments and
   * employees of the caller's organization included; the values to store (keywords trimmed, repeats that
   * normalize alike dropped).
   */
  private async check(
    orgId: string,
    input: KeywordRuleInput,
    prefix: string,
    problems: FieldProblem[] = [],
  ): Promise<KeywordRuleValues> {
    const bad = (field: string, message: string) => problems.push({ field: `${prefix}.${field}`, message });
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) bad('name', BLANK_MESSAGE);
    else if (charCount(name) > MAX_RULE_NAME) bad('name', `must be at most ${MAX_RULE_NAME} characters`);
    const keywords: string[] = [];
    const seen = new Set<string>();
    const list = input.keywords ?? [];
    if (list.length > MAX_KEYWORDS_PER_RULE) bad('keywords', `must list at most ${MAX_KEYWORDS_PER_RULE} keywords`);
    else {
      list.forEach((k, i) => {
        const t = k.trim();
        if (!t) return bad(`keywords[${i}]`, BLANK_MESSAGE);
        if (charCount(t) > MAX_KEYWORD) return bad(`keywords[${i}]`, `must be at most ${MAX_KEYWORD} characters`);
        const n = normalize(t);
        if (!seen.has(n)) {
          seen.add(n);
          keywords.push(t);
        }
      });
    }
    const semantics = [...new Set(input.semantics ?? [])];
    if (semantics.some((s) => !SEMANTICS.has(s)))
      bad('semantics', 'must be PHONE_NUMBER, EMAIL, RED_PACKET or BANK_CARD');
    if (!list.length && !semantics.length) bad('keywords', 'give at least one keyword or semantic detector');
    const appliesTo =
      input.appliesTo === null || input.appliesTo === undefined ? [...SENDERS] : [...new Set(input.appliesTo)];
    if (!appliesTo.length) bad('appliesTo', 'must list at least one sender type (omit it for both)');
    const departmentIds = [...new Set(input.departmentIds ?? [])];
    const notify = [...new Set(input.notifyEmployeeIds ?? [])];
    const ids = (field: string, xs: string[], max: number, what: string) => {
      if (xs.length > max) bad(field, `must list at most ${max} ${what}s`);
      const invalid = xs.filter((x) => !isUUID(x, 'all'));
      if (invalid.length) bad(field, `not ${what} ids: ${invalid.join(', ')}`);
      return xs.length <= max && !invalid.length;
    };
    const [deptsOk, notifyOk] = [
      ids('departmentIds', departmentIds, MAX_RULE_DEPARTMENTS, 'department'),
      ids('notifyEmployeeIds', notify, MAX_RULE_NOTIFY, 'employee'),
    ];
    const [depts, people] = await Promise.all([
      deptsOk && departmentIds.length ? this.departments.findByIds(orgId, departmentIds) : [],
      notifyOk && notify.length ? this.employees.findByIds(orgId, notify) : [],
    ]);
    if (deptsOk) {
      const found = new Set(depts.map((d) => d.id));
      const missing = departmentIds.filter((d) => !found.has(d));
      if (missing.length) bad('departmentIds', `no such departments in your organization: ${missing.join(', ')}`);
    }
    if (notifyOk) {
      const found = new Set(people.map((e) => e.id));
      const missing = notify.filter((e) => !found.has(e));
      if (missing.length) bad('notifyEmployeeIds', `no such employees in your organization: ${missing.join(', ')}`);
      // A notice names an alert its reader must be able to open: only holders of alert:read may be told.
      const readers = await this.employees.holding(orgId, people, 'alert', 'read');
      const blind = people.filter((e) => !readers.has(e.id)).map((e) => e.id);
      if (!missing.length && blind.length) {
        bad('notifyEmployeeIds', `lack alert:read, so could not open the alerts they are told of: ${blind.join(', ')}`);
      }
    }
    if (problems.length) throw AppError.invalid(problems);
    return {
      name,
      keywords,
      semantics,
      appliesTo,
      departmentIds,
      severity: input.severity ?? Severity.MEDIUM,
      enabled: input.enabled ?? true,
      notifyEmployeeIds: notify,
    };
  }

  /** The organization's keyword budget, against committed rules (the version row lock serializes changes). */
  private async checkBudget(
    tx: Parameters<KeywordRulesRepository['keywordTotal']>[0],
    orgId: string,
    values: KeywordRuleValues,
    except: string | null,
    prefix: string,
  ): Promise<void> {
    const others = await this.rules.keywordTotal(tx, orgId, except);
    if (others + values.keywords.length > MAX_KEYWORDS_PER_ORGANIZATION) {
      throw AppError.badInput(
        `${prefix}.keywords`,
        `the organization's rules would hold ${others + values.keywords.length} keywords, more than ${MAX_KEYWORDS_PER_ORGANIZATION}`,
      );
    }
  }
}
