import { Readable } from 'node:stream';
import { CsvParser, CsvRecord, csvLine, readCsv } from './csv-parser';

function parse(text: string, chunk = 0): CsvRecord[] {
  const p = new CsvParser();
  const out: CsvRecord[] = [];
  if (chunk <= 0) out.push(...p.feed(text));
  else for (let i = 0; i < text.length; i += chunk) out.push(...p.feed(text.slice(i, i + chunk)));
  out.push(...p.end());
  return out;
}

const TRICKY =
  '\ufeffexternalId,name,company\r\n' +
  'wm1,张三,"Acme, Inc."\r\n' +
  'wm2,"Li ""Lee"" Si","line one\r\nline two"\n' +
  '\r\n' +
  'wm3,,\r' +
  '"wm4","",""\n' +
  'wm5,last,no newline';

describe('CsvParser', () => {
  it('parses quotes, escaped quotes, commas and line breaks inside quotes, BOM, CRLF/LF/CR, blank lines', () => {
    expect(parse(TRICKY)).toEqual([
      { fields: ['externalId', 'name', 'company'], line: 1 },
      { fields: ['wm1', '张三', 'Acme, Inc.'], line: 2 },
      { fields: ['wm2', 'Li "Lee" Si', 'line one\r\nline two'], line: 3 },
      { fields: ['wm3', '', ''], line: 6 },
      { fields: ['wm4', '', ''], line: 7 },
      { fields: ['wm5', 'last', 'no newline'], line: 8 },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = parse(TRICKY);
    for (const size of [1, 2, 3, 5, 7, 11]) expect(parse(TRICKY, size)).toEqual(whole);
  });

  it('keeps an empty quoted field as a record and a trailing comma as an empty field', () => {
    expect(parse('""\na,\n')).toEqual([
      { fields: [''], line: 1 },
      { fields: ['a', ''], line: 2 },
    ]);
  });

  it('flags stray and unterminated quotes on the record, and carries on', () => {
    const records = parse('a,b"c,d\n"x"y,z\nok,1\n"open,2\n');
    expect(records[0]).toEqual({
      fields: ['a', 'b"c', 'd'],
      line: 1,
      error: expect.stringContaining('quote inside an unquoted field'),
    });
    expect(records[1]).toEqual({
      fields: ['xy', 'z'],
      line: 2,
      error: expect.stringContaining('after a closing quote'),
    });
    expect(records[2]).toEqual({ fields: ['ok', '1'], line: 3 });
    expect(records[3]).toEqual({ fields: ['open,2\n'], line: 4, error: expect.stringContaining('not closed') });
  });

  it('streams bytes: multi-byte UTF-8 split across chunks, bytes counted', async () => {
    const bytes = Buffer.from('\ufeffname\n王小明\n"多行\n备注"\n', 'utf8');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    let counted = 0;
    const records: CsvRecord[] = [];
    for await (const r of readCsv(Readable.from(chunks), (n) => (counted += n))) records.push(r);
    expect(counted).toBe(bytes.length);
    expect(records).toEqual([
      { fields: ['name'], line: 1 },
      { fields: ['王小明'], line: 2 },
      { fields: ['多行\n备注'], line: 3 },
    ]);
  });

  it('writes fields that read back the same', () => {
    const values = ['plain', 'with, comma', 'with "quote"', 'multi\nline', ' padded ', '中文', ''];
    expect(parse(csvLine(values))[0].fields).toEqual(values);
  });
});
