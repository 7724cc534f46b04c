import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** One CSV record: its fields and the physical line (1-based) where it starts. */
export interface CsvRecord {
  fields: string[];
  line: number;
  /** Set when the record breaks RFC 4180 (stray quote, unterminated quoted field); the fields are best effort. */
  error?: string;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

const enum State {
  FIELD_START,
  UNQUOTED,
  QUOTED,
  /** A quote inside a quoted field: either the first of an escaped pair or the closing quote. */
  QUOTE_IN_QUOTED,
  AFTER_CLOSING_QUOTE,
}

/**
 * Incremental RFC 4180 parser: comma-separated, fields optionally in double
 * quotes, `""` escapes a quote, commas and line breaks inside quotes are data.
 * Records end at CRLF, LF or CR. A UTF-8 byte order mark at the very start is
 * dropped. Blank lines are skipped. Feed it text in chunks of any size (a
 * chunk may end anywhere, even between CR and LF or between two quotes).
 */
export class CsvParser {
  private state = State.FIELD_START;
  private field = '';
  private fields: string[] = [];
  private quotedInRecord = false;
  private error: string | undefined;
  private line = 1;
  private recordLine = 1;
  private started = false;
  /** The previous chunk ended with CR: a leading LF of the next one belongs to it. */
  private pendingCr = false;

  /** Parses `text` (the next part of the input) and returns the records it completed. */
  feed(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let s = text;
    if (!this.started && s.length) {
      this.started = true;
      if (s.charCodeAt(0) === BOM) s = s.slice(1);
    }
    const n = s.length;
    let i = 0;
    if (this.pendingCr && n) {
      this.pendingCr = false;
      if (s.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      switch (this.state) {
        case State.FIELD_START:
          if (s.charCodeAt(i) === QUOTE) {
            this.state = State.QUOTED;
            this.quotedInRecord = true;
            i++;
          } else {
            this.state = State.UNQUOTED;
          }
          break;
        case State.UNQUOTED: {
          let j = i;
          for (; j < n; j++) {
            const c = s.charCodeAt(j);
            if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
          }
          if (j > i) this.field += s.slice(i, j);
          i = j;
          if (j === n) break;
          const c = s.charCodeAt(j);
          if (c === QUOTE) {
            this.fail('a quote inside an unquoted field (quote the whole field and double the quote)');
            this.field += '"';
            i++;
          } else {
            i = this.delimiter(s, i, out);
          }
          break;
        }
        case State.QUOTED: {
          const q = s.indexOf('"', i);
          const end = q === -1 ? n : q;
          if (end > i) {
            const part = s.slice(i, end);
            this.field += part;
            this.line += countLf(part);
          }
          i = end;
          if (q !== -1) {
            this.state = State.QUOTE_IN_QUOTED;
            i++;
          }
          break;
        }
        case State.QUOTE_IN_QUOTED:
          if (s.charCodeAt(i) === QUOTE) {
            this.field += '"';
            this.state = State.QUOTED;
            i++;
          } else {
            this.state = State.AFTER_CLOSING_QUOTE;
          }
          break;
        case State.AFTER_CLOSING_QUOTE: {
          const c = s.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) {
            i = this.delimiter(s, i, out);
          } else {
            this.fail('text after a closing quote (quote the whole field and double the quotes inside it)');
            this.field += s[i];
            this.state = State.UNQUOTED;
            i++;
          }
          break;
        }
      }
    }
    return out;
  }

  /** Ends the input: returns the last record, if any. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === State.QUOTED) this.fail('a quoted field is not closed before the end of the file');
    if (this.state !== State.FIELD_START || this.fields.length) this.endRecord(out);
    this.state = State.FIELD_START;
    return out;
  }

  /** Handles the comma, LF or CR at `i`; returns the next index. */
  private delimiter(s: string, i: number, out: CsvRecord[]): number {
    const c = s.charCodeAt(i);
    if (c === COMMA) {
      this.fields.push(this.field);
      this.field = '';
      this.state = State.FIELD_START;
      return i + 1;
    }
    this.endRecord(out);
    this.line++;
    this.recordLine = this.line;
    if (c === CR) {
      if (i + 1 === s.length) this.pendingCr = true;
      else if (s.charCodeAt(i + 1) === LF) return i + 2;
    }
    return i + 1;
  }

  private endRecord(out: CsvRecord[]): void {
    this.fields.push(this.field);
    const blank = this.fields.length === 1 && this.fields[0] === '' && !this.quotedInRecord;
    if (!blank)
      out.push(
        this.error
          ? { fields: this.fields, line: this.recordLine, error: this.error }
          : { fields: this.fields, line: this.recordLine },
      );
    this.fields = [];
    this.field = '';
    this.quotedInRecord = false;
    this.error = undefined;
    this.state = State.FIELD_START;
  }

  private fail(message: string): void {
    this.error ??= message;
  }
}

function countLf(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Streams the records of a UTF-8 CSV. `onBytes` hears how many bytes each
 * chunk had (for progress by bytes). Invalid UTF-8 becomes U+FFFD.
 */
export async function* readCsv(stream: Readable, onBytes?: (bytes: number) => void): AsyncGenerator<CsvRecord> {
  const decoder = new StringDecoder('utf8');
  const parser = new CsvParser();
  for await (const chunk of stream) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    onBytes?.(buf.length);
    yield* parser.feed(decoder.write(buf));
  }
  yield* parser.feed(decoder.end());
  yield* parser.end();
}

/** One field for writing: quoted when it holds a comma, quote, line break or leading/trailing space. */
export function csvField(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map(csvField).join(',') + '\r\n';
}
