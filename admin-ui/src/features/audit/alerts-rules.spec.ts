import { describe, expect, it } from 'vitest';
import {
  alertFiltersFromParams,
  alertFiltersToParams,
  DEFAULT_STATUSES,
  liveAlertShown,
  nextSteps,
  toAlertFilter,
} from './alert-filters';
import { departmentOptions, ruleFieldOf } from './rule-editor';
import { cleanKeywords, fromRule, NEW_RULE, ruleProblems, toRuleInput } from './rule-form';

describe('alerts inbox filters', () => {
  it('shows unresolved alerts by default, and keeps "every status" apart from the default in the URL', () => {
    expect(alertFiltersFromParams(new URLSearchParams()).statuses).toEqual(DEFAULT_STATUSES);
    const all = alertFiltersFromParams(new URLSearchParams('status=ALL'));
    expect(all.statuses).toEqual(['OPEN', 'ACKNOWLEDGED', 'RESOLVED']);
    expect(alertFiltersToParams(all).toString()).toBe('status=ALL');
    expect(toAlertFilter(all)).toEqual({});
    expect(alertFiltersToParams({ statuses: [...DEFAULT_STATUSES] }).toString()).toBe('');
  });

  it('round-trips rule, employee, days and a chosen status through the URL', () => {
    const params = new URLSearchParams('status=RESOLVED&rule=r1&employee=e1&from=2026-03-01&to=2026-03-31');
    const f = alertFiltersFromParams(params);
    expect(f).toEqual({
      statuses: ['RESOLVED'],
      ruleId: 'r1',
      employeeId: 'e1',
      fromDay: '2026-03-01',
      toDay: '2026-03-31',
    });
    expect(alertFiltersToParams(f).toString()).toBe(params.toString());
    expect(toAlertFilter(f)).toEqual({
      status: ['RESOLVED'],
      ruleId: 'r1',
      employeeId: 'e1',
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 3, 1).toISOString(),
    });
  });

  it('offers only the workflow’s next steps', () => {
    expect(nextSteps('OPEN')).toEqual(['ACKNOWLEDGED', 'RESOLVED']);
    expect(nextSteps('ACKNOWLEDGED')).toEqual(['RESOLVED']);
    expect(nextSteps('RESOLVED')).toEqual([]);
  });

  it('lists a live alert only where the filtered page would list it', () => {
    const alert = { ruleId: 'r1', employeeId: 'e1', createdAt: new Date(2026, 2, 10, 12).toISOString() };
    expect(liveAlertShown({ statuses: [...DEFAULT_STATUSES] }, alert)).toBe(true);
    expect(liveAlertShown({ statuses: ['RESOLVED'] }, alert)).toBe(false);
    expect(liveAlertShown({ statuses: ['OPEN'], ruleId: 'r2' }, alert)).toBe(false);
    expect(liveAlertShown({ statuses: ['OPEN'], employeeId: 'e2' }, alert)).toBe(false);
    expect(liveAlertShown({ statuses: ['OPEN'], toDay: '2026-03-09' }, alert)).toBe(false);
    expect(liveAlertShown({ statuses: ['OPEN'], fromDay: '2026-03-10', toDay: '2026-03-10' }, alert)).toBe(true);
  });
});

describe('keyword rule form', () => {
  it('splits pasted lists, trims, and drops blanks and duplicates as the matcher compares them', () => {
    expect(cleanKeywords(['返现，私下转账', ' Refund ', 'refund', 'ＲＥＦＵＮＤ', '', '红包、\n微信'])).toEqual([
      '返现',
      '私下转账',
      'Refund',
      '红包',
      '微信',
    ]);
  });

  it('needs a name, something to match, and whose messages', () => {
    expect(ruleProblems(NEW_RULE)).toEqual({ name: 'nameRequired', keywords: 'nothingToMatch' });
    expect(ruleProblems({ ...NEW_RULE, name: 'Cards', semantics: ['BANK_CARD'] })).toEqual({});
    expect(ruleProblems({ ...NEW_RULE, name: 'x', keywords: ['a'], appliesTo: [] })).toEqual({
      appliesTo: 'senderRequired',
    });
  });

  it('counts characters, not code units, against the 100-character limits', () => {
    expect(ruleProblems({ ...NEW_RULE, name: 'x', keywords: ['价'.repeat(100)] })).toEqual({});
    expect(ruleProblems({ ...NEW_RULE, name: 'x', keywords: ['价'.repeat(101)] })).toEqual({
      keywords: 'keywordTooLong',
    });
    expect(ruleProblems({ ...NEW_RULE, name: '😀'.repeat(100), keywords: ['a'] })).toEqual({});
    expect(ruleProblems({ ...NEW_RULE, name: '😀'.repeat(101), keywords: ['a'] })).toEqual({ name: 'nameTooLong' });
  });

  it('sends the rule cleaned, and reads a saved one back (no sender types saved means both)', () => {
    const input = toRuleInput({ ...NEW_RULE, name: '  Off-platform ', keywords: ['私下转账, 私下转账'] });
    expect(input).toMatchObject({ name: 'Off-platform', keywords: ['私下转账'], appliesTo: ['EMPLOYEE', 'CUSTOMER'] });
    const back = fromRule({
      name: 'r',
      keywords: ['a'],
      semantics: ['EMAIL'],
      appliesTo: [],
      departments: [{ id: 'd1' }],
      severity: 'HIGH',
      enabled: false,
      notify: [{ id: 'e1' }],
    });
    expect(back).toEqual({
      name: 'r',
      keywords: ['a'],
      semantics: ['EMAIL'],
      appliesTo: ['EMPLOYEE', 'CUSTOMER'],
      departmentIds: ['d1'],
      severity: 'HIGH',
      enabled: false,
      notifyEmployeeIds: ['e1'],
    });
  });

  it('puts the server’s field problems under the form’s fields, for create and update paths', () => {
    expect(ruleFieldOf('input.keywords')).toBe('keywords');
    expect(ruleFieldOf('input.rule.name')).toBe('name');
    expect(ruleFieldOf('input.rule.keywords.3')).toBe('keywords');
    expect(ruleFieldOf('input.rule.notifyEmployeeIds')).toBe('notifyEmployeeIds');
    expect(ruleFieldOf('input.id')).toBeUndefined();
  });

  it('builds the departments tree from the flat list, parents before children, siblings by name', () => {
    expect(
      departmentOptions([
        { id: 'root', name: 'HQ', parent: null },
        { id: 'b', name: 'South', parent: { id: 'root' } },
        { id: 'a', name: 'East', parent: { id: 'root' } },
        { id: 'a1', name: 'Shanghai', parent: { id: 'a' } },
      ]),
    ).toEqual([
      {
        value: 'root',
        title: 'HQ',
        children: [
          { value: 'a', title: 'East', children: [{ value: 'a1', title: 'Shanghai', children: [] }] },
          { value: 'b', title: 'South', children: [] },
        ],
      },
    ]);
  });
});
