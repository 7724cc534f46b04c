/** One line of a file, numbered from 1, with the byte offset just past it (where reading resumes after it). */
export interface FileLine {
  line: number;
  /** The line without its `\n` (or `\r\n`); null when it was longer than the limit (its bytes are skipped). */
  text: string | null;
  end: number;
}

/**
 * The lines of a byte stream that starts at byte `start` of a file, line
 * numbers continuing from `lineBefore`. Offsets are exact bytes (a UTF-8
 * character is never split: lines are cut at the `\n` byte, then decoded).
 * A line longer than `maxBytes` is reported with `text: null` and its bytes
 * dropped, so one bad line neither stops an import nor holds it in memory.
 */
export async function* fileLines(
  chunks: AsyncIterable<Buffer>,
  start: number,
  lineBefore: number,
  maxBytes: number,
): AsyncGenerator<FileLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let offset = start;
  let line = lineBefore;
  const take = (tail: Buffer): FileLine => {
    line++;
    const end = offset;
    if (tooLong) {
      tooLong = false;
      pending = [];
      pendingBytes = 0;
      return { line, text: null, end };
    }
    const bytes = pending.length ? Buffer.concat([...pending, tail]) : tail;
    pending = [];
    pendingBytes = 0;
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { line, text, end };
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      const part = chunk.subarray(from, nl);
      offset += nl + 1 - from;
      from = nl + 1;
      if (!tooLong && pendingBytes + part.length > maxBytes) tooLong = true;
      yield take(part);
    }
    const rest = chunk.subarray(from);
    offset += rest.length;
    if (tooLong || pendingBytes + rest.length > maxBytes) {
      tooLong = true;
      pending = [];
      pendingBytes = 0;
    } else if (rest.length) {
      // Copied: the stream may reuse its buffers.
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes || tooLong) yield take(Buffer.alloc(0));
}
