import { Readable } from 'node:stream';
import { fileLines, FileLine } from './file-lines';

const collect = async (chunks: Buffer[], start = 0, before = 0, max = 1024): Promise<FileLine[]> => {
  const out: FileLine[] = [];
  for await (const l of fileLines(Readable.from(chunks), start, before, max)) out.push(l);
  return out;
};

describe('fileLines', () => {
  it('gives exact byte offsets across chunks that split lines and UTF-8 characters', async () => {
    const text = Buffer.from('你好\r\nab\n\nlast');
    // Cut inside 你 (3 bytes) and between \r and \n.
    const lines = await collect([text.subarray(0, 1), text.subarray(1, 7), text.subarray(7)], 100, 5);
    expect(lines).toEqual([
      { line: 6, text: '你好', end: 108 },
      { line: 7, text: 'ab', end: 111 },
      { line: 8, text: '', end: 112 },
      { line: 9, text: 'last', end: 116 },
    ]);
  });

  it('reports a line longer than the limit as null and goes on with the next', async () => {
    const lines = await collect(
      [Buffer.from('short\n' + 'x'.repeat(10)), Buffer.from('y'.repeat(10) + '\nok\n')],
      0,
      0,
      8,
    );
    expect(lines).toEqual([
      { line: 1, text: 'short', end: 6 },
      { line: 2, text: null, end: 27 },
      { line: 3, text: 'ok', end: 30 },
    ]);
  });
});
