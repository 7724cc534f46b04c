import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stageCopyRow } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { copyField, LineTooLongError, NdjsonLine, NdjsonLines } from './ndjson-lines';

async function lines(chunks: Buffer[], max = 1000): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  await pipeline(Readable.from(chunks), new NdjsonLines(max), async (source: AsyncIterable<NdjsonLine>) => {
    for await (const l of source) out.push(l);
  });
  return out;
}

describe('NdjsonLines', () => {
  it('splits on newlines across chunks, keeps a UTF-8 character cut between chunks whole, and numbers blank lines too', async () => {
    const body = Buffer.from('{"a":"微信"}\r\n\n{"b":2}\n{"c":3}');
    const cut = body.indexOf(Buffer.from('信')) + 1;
    expect(await lines([body.subarray(0, cut), body.subarray(cut)])).toEqual([
      { line: 1, text: '{"a":"微信"}' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it('stops at a line longer than the limit, whether it ends in the chunk or not', async () => {
    await expect(lines([Buffer.from('{"ok":1}\n' + 'x'.repeat(50))], 20)).rejects.toEqual(new LineTooLongError(2, 20));
    await expect(lines([Buffer.from('{"ok":1}\n' + 'x'.repeat(50) + '\n{}\n')], 20)).rejects.toEqual(
      new LineTooLongError(2, 20),
    );
  });
});

describe('copyField', () => {
  it('escapes what delimits COPY text and writes null as \\N', () => {
    expect(copyField('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(7)).toBe('7');
  });
});

describe('stageCopyRow', () => {
  it("escapes the message's own strings, writes the grams literal as it is, and \\N for what is absent", () => {
    const m = {
      line: 3,
      externalId: 'x\t1',
      employeeId: 'e',
      customerId: 'c',
      senderType: 'EMPLOYEE',
      type: 'TEXT',
      text: 'a\\b\nc',
      payload: { k: 'v\tw' },
      sentAt: new Date('2026-01-02T03:04:05.006Z'),
    };
    expect(stageCopyRow(m, '{97,203423842}')).toBe(
      '3\tx\\t1\te\tc\tEMPLOYEE\tTEXT\ta\\\\b\\nc\t{"k":"v\\\\tw"}\t2026-01-02T03:04:05.006Z\t{97,203423842}\n',
    );
    expect(stageCopyRow({ ...m, text: null, payload: null }, null)).toBe(
      '3\tx\\t1\te\tc\tEMPLOYEE\tTEXT\t\\N\t\\N\t2026-01-02T03:04:05.006Z\t\\N\n',
    );
  });
});
