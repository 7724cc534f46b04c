import 'reflect-metadata';
import { mapHeader, parseRow } from './customer-row';

describe('customer import rows', () => {
  const columns = mapHeader(['External_ID', 'Name', 'COMPANY', 'phone', 'Stage', 'remark', 'state', 'wechat']);

  it('maps the header case-insensitively and warns about unknown columns', () => {
    expect(columns.index).toEqual({ externalId: 0, name: 1, company: 2, phone: 3, stage: 4, remark: 5, state: 6 });
    expect(columns.warnings).toEqual(['unknown column "wechat" (column 8) is ignored']);
    expect(mapHeader(['externalid', 'name', 'Name']).warnings).toEqual([
      'column "Name" (column 3) repeats name; the first one is used',
    ]);
    expect(() => mapHeader(['externalId', 'company'])).toThrow(/no name column/);
  });

  it('normalizes like recordCustomerAdded: trimmed, empty cells absent, phone normalized, stage in any case', () => {
    const r = parseRow([' wm1 ', ' 张三 ', '  ', '+86 138-1234-5678', 'won', ' VIP ', 'qr-1', 'x'], 2, columns);
    expect(r).toEqual({
      ok: true,
      row: {
        line: 2,
        externalId: 'wm1',
        name: '张三',
        company: null,
        phone: '13812345678',
        stage: 'WON',
        remark: 'VIP',
        state: 'qr-1',
      },
    });
    const bare = parseRow(['', 'Ann'], 3, columns);
    expect(bare).toEqual({
      ok: true,
      row: {
        line: 3,
        externalId: null,
        name: 'Ann',
        company: null,
        phone: null,
        stage: 'NEW',
        remark: null,
        state: null,
      },
    });
  });

  it('rejects with the GraphQL input rules, naming the column', () => {
    const reasons = (fields: string[]) => {
      const r = parseRow(fields, 9, columns);
      return r.ok ? [] : r.reasons;
    };
    expect(reasons(['a', ''])).toEqual(['name: must not be empty', 'name: must not be blank']);
    expect(reasons(['a', '   '])).toEqual(['name: must not be blank']);
    expect(reasons(['a', 'x'.repeat(201)])).toEqual(['name: must be at most 200 characters']);
    expect(reasons(['a', 'n', 'c'.repeat(201)])).toEqual(['company: must be at most 200 characters']);
    expect(reasons(['a', 'n', '', 'call me'])).toEqual([
      'phone: must be a phone number such as 13812345678 or +44 20 7946 0958',
    ]);
    expect(reasons(['a', 'n', '', '12345'])).toEqual([expect.stringMatching(/^phone: must be a mainland mobile/)]);
    expect(reasons(['a', 'n', '', '', 'SOLD'])).toEqual([
      expect.stringMatching(/^stage: must be one of the following values: NEW/),
    ]);
    expect(reasons(['x'.repeat(129), 'n'])).toEqual(['externalId: must be at most 128 characters']);
    expect(reasons(['a', 'n', '', '', '', 'r'.repeat(201)])).toEqual(['remark: must be at most 200 characters']);
    expect(reasons(['a', 'n', '', '', '', '', 's'.repeat(65)])).toEqual(['state: must be at most 64 characters']);
    expect(reasons(['a', 'n', '', '', '', '', '', '', 'extra'])).toEqual(['has 9 fields but the header has 8']);
    expect(reasons(['a', 'bad \ufffd'])).toEqual(['is not valid UTF-8 (save the file as "CSV UTF-8")']);
    expect(reasons(['a\u0000', 'n\u0000', '', '', '', '', '', 'ignored \u0000'])).toEqual([
      'externalId: must not contain NUL characters (U+0000)',
      'name: must not contain NUL characters (U+0000)',
    ]);
  });
});
