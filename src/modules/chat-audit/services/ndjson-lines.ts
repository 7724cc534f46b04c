import { StringDecoder } from 'node:string_decoder';
import { Transform, TransformCallback } from 'node:stream';

/** One line of an NDJSON body, numbered from 1. */
export interface NdjsonLine {
  line: number;
  text: string;
}

/** A line longer than the limit: the import stops (a body without newlines would otherwise grow without bound). */
export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly maxBytes: number,
  ) {
    super(`line ${line} is longer than ${maxBytes} bytes`);
  }
}

/**
 * Splits a byte stream into its lines (UTF-8, `\n` or `\r\n`), blank lines
 * skipped but counted. Object mode on the readable side, so backpressure
 * reaches the request: nothing is read faster than the next stage takes it.
 */
export class NdjsonLines extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private count = 0;

  constructor(private readonly maxLineBytes: number) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.rest + this.decoder.write(chunk);
    const parts = text.split('\n');
    this.rest = parts.pop()!;
    for (const part of parts) {
      if (Buffer.byteLength(part) > this.maxLineBytes)
        return done(new LineTooLongError(this.count + 1, this.maxLineBytes));
      this.emit_(part);
    }
    if (Buffer.byteLength(this.rest) > this.maxLineBytes)
      return done(new LineTooLongError(this.count + 1, this.maxLineBytes));
    done();
  }

  override _flush(done: TransformCallback): void {
    const last = this.rest + this.decoder.end();
    if (last.length) this.emit_(last);
    done();
  }

  private emit_(raw: string): void {
    this.count++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim().length) this.push({ line: this.count, text } satisfies NdjsonLine);
  }
}

const DELIMITING = /[\\\n\r\t]/;

/** A value in PostgreSQL's COPY text format: `\N` for null, backslash escapes for the characters that delimit. */
export function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  const text = String(v);
  // Most values hold none of them: a test is cheaper than a replace that builds the same string again.
  if (!DELIMITING.test(text)) return text;
  return text.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}
