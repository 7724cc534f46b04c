import type { KeywordRuleInput, Semantic, SenderType, Severity } from '../../gql/graphql';

export const SEMANTICS: readonly Semantic[] = ['PHONE_NUMBER', 'EMAIL', 'RED_PACKET', 'BANK_CARD'];
export const SEVERITIES: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH'];
export const RULE_SENDERS: readonly SenderType[] = ['EMPLOYEE', 'CUSTOMER'];
/** The server's limits on a keyword (src/modules/chat-audit, keyword rules). */
export const MAX_KEYWORD_CHARS = 100;
export const MAX_NAME_CHARS = 100;

/** The editor's form, as Ant Design holds it. */
export interface RuleFormValues {
  name: string;
  keywords: string[];
  semantics: Semantic[];
  appliesTo: SenderType[];
  departmentIds: string[];
  severity: Severity;
  enabled: boolean;
  notifyEmployeeIds: string[];
}

export const NEW_RULE: RuleFormValues = {
  name: '',
  keywords: [],
  semantics: [],
  appliesTo: [...RULE_SENDERS],
  departmentIds: [],
  severity: 'MEDIUM',
  enabled: true,
  notifyEmployeeIds: [],
};

/** How the matcher compares keywords (NFKC, lower case): two keywords equal this way are one. */
const keyOf = (k: string) => k.normalize('NFKC').toLowerCase();

/**
 * Keywords as typed (one per tag; commas, Chinese commas and new lines split pasted lists) trimmed, blanks dropped,
 * duplicates under the matcher's normalization dropped (the first spelling kept).
 */
export function cleanKeywords(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const piece of raw.flatMap((k) => k.split(/[,，、\n]/))) {
    const k = piece.trim();
    if (!k || seen.has(keyOf(k))) continue;
    seen.add(keyOf(k));
    out.push(k);
  }
  return out;
}

/** What is wrong with a rule before it is sent, by field (the server checks again and names its fields too). */
export function ruleProblems(v: RuleFormValues): Partial<Record<keyof RuleFormValues, string>> {
  const problems: Partial<Record<keyof RuleFormValues, string>> = {};
  const name = v.name.trim();
  if (!name) problems.name = 'nameRequired';
  else if ([...name].length > MAX_NAME_CHARS) problems.name = 'nameTooLong';
  const keywords = cleanKeywords(v.keywords);
  if (keywords.some((k) => [...k].length > MAX_KEYWORD_CHARS)) problems.keywords = 'keywordTooLong';
  else if (keywords.length === 0 && v.semantics.length === 0) problems.keywords = 'nothingToMatch';
  if (v.appliesTo.length === 0) problems.appliesTo = 'senderRequired';
  return problems;
}

/** The API's input for the form's values (cleaned as the matcher will read them). */
export function toRuleInput(v: RuleFormValues): KeywordRuleInput {
  return {
    name: v.name.trim(),
    keywords: cleanKeywords(v.keywords),
    semantics: v.semantics,
    appliesTo: v.appliesTo,
    departmentIds: v.departmentIds,
    severity: v.severity,
    enabled: v.enabled,
    notifyEmployeeIds: v.notifyEmployeeIds,
  };
}

export interface RuleLike {
  name: string;
  keywords: readonly string[];
  semantics: readonly Semantic[];
  appliesTo: readonly SenderType[];
  departments: ReadonlyArray<{ id: string }>;
  severity: Severity;
  enabled: boolean;
  notify: ReadonlyArray<{ id: string }>;
}

/** A saved rule as the form's starting values. */
export function fromRule(r: RuleLike): RuleFormValues {
  return {
    name: r.name,
    keywords: [...r.keywords],
    semantics: [...r.semantics],
    appliesTo: r.appliesTo.length ? [...r.appliesTo] : [...RULE_SENDERS],
    departmentIds: r.departments.map((d) => d.id),
    severity: r.severity,
    enabled: r.enabled,
    notifyEmployeeIds: r.notify.map((e) => e.id),
  };
}
