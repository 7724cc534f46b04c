import { MessageToStore } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { eachSearchGramCode } from './search-grams';

/** PostgreSQL's binary COPY header: signature, flags, header extension length. */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** The end of a binary COPY: a field count of -1. */
const TRAILER = Buffer.from([0xff, 0xff]);
/** The staging table's columns (ChatArchiveRepository.stageCopySql). */
const FIELDS = 10;
/** int8's type oid: the element type of the grams array. */
const INT8_OID = 20;
/** Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01 (UTC), in milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;

/**
 * The bulk import's staging rows in PostgreSQL's binary COPY format (`stageCopySql(true)`): the same columns and
 * values as stageCopyRow's text rows. The search grams go as int8 array elements, 12 bytes each, where the text format
 * had PostgreSQL parse ~290 decimal characters per message and the API print them (200,000 bench messages: the grams
 * literals took the API 1.2-2.1 s and their parse was most of the stage's COPY).
 *
 * Rows are appended to one growing buffer; `take` hands over what was written (a slice's COPY is `header()`, the
 * taken chunks, `trailer()`).
 */
export class StageBinaryRows {
  private buf = Buffer.allocUnsafe(1 << 20);
  private at = 0;

  /** `grams`: whether the application computes search grams (else every row's are NULL: chat_search_grams). */
  constructor(private readonly grams: boolean) {}

  static header(): Buffer {
    return HEADER;
  }

  static trailer(): Buffer {
    return TRAILER;
  }

  add(r: MessageToStore & { line: number }): void {
    this.room(64);
    this.at = this.buf.writeInt16BE(FIELDS, this.at);
    this.int4(r.line);
    this.text(r.externalId);
    this.uuid(r.employeeId);
    this.uuid(r.customerId);
    this.text(r.senderType);
    this.text(r.type);
    this.text(r.text);
    if (r.payload === null || r.payload === undefined) this.nullField();
    else this.text(JSON.stringify(r.payload), 1); // jsonb: a version byte, then the JSON text
    this.timestamp(r.sentAt);
    this.searchGrams(r.text);
  }

  /** What was written since the last take, as a buffer of its own. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.at));
    this.at = 0;
    return out;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  private nullField(): void {
    this.room(4);
    this.at = this.buf.writeInt32BE(-1, this.at);
  }

  private int4(v: number): void {
    this.room(8);
    this.at = this.buf.writeInt32BE(4, this.at);
    this.at = this.buf.writeInt32BE(v, this.at);
  }

  /** A text value (varchar, text; jsonb with its version byte) as UTF-8. */
  private text(v: string | null, version?: number): void {
    if (v === null) return this.nullField();
    this.room(5 + 3 * v.length);
    const start = this.at;
    this.at += 4;
    if (version !== undefined) this.at = this.buf.writeUInt8(version, this.at);
    this.at += this.buf.write(v, this.at, 'utf8');
    this.buf.writeInt32BE(this.at - start - 4, start);
  }

  private uuid(v: string): void {
    this.room(20);
    this.at = this.buf.writeInt32BE(16, this.at);
    const hex = v.replace(/-/g, '');
    if (this.buf.write(hex, this.at, 16, 'hex') !== 16) throw new Error(`not a uuid: ${v}`);
    this.at += 16;
  }

  /** timestamptz: microseconds since 2000-01-01 UTC, as an int8. */
  private timestamp(d: Date): void {
    this.room(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    this.int8((d.getTime() - PG_EPOCH_MS) * 1000);
  }

  /** An integer below 2^53 in magnitude as a big-endian int8, without a BigInt per value. */
  private int8(v: number): void {
    const high = Math.floor(v / TWO_32);
    this.at = this.buf.writeInt32BE(high, this.at);
    this.at = this.buf.writeUInt32BE(v - high * TWO_32, this.at);
  }

  /** The text's search grams as an int8[] (one dimension, no nulls), or NULL where PostgreSQL computes them. */
  private searchGrams(text: string | null): void {
    if (text === null || !this.grams) return this.nullField();
    // At most two grams per code unit, 12 bytes each, after the field length and the 20-byte array header.
    this.room(24 + 24 * text.length);
    const start = this.at;
    let at = start + 24;
    let n = 0;
    const whole = eachSearchGramCode(text, (code) => {
      at = this.buf.writeInt32BE(8, at);
      const high = Math.floor(code / TWO_32);
      at = this.buf.writeInt32BE(high, at);
      at = this.buf.writeUInt32BE(code - high * TWO_32, at);
      n++;
    });
    if (!whole) return this.nullField();
    let h = this.buf.writeInt32BE(at - start - 4, start);
    h = this.buf.writeInt32BE(n ? 1 : 0, h); // dimensions (an empty array has none)
    h = this.buf.writeInt32BE(0, h); // no nulls
    h = this.buf.writeInt32BE(INT8_OID, h);
    if (!n) {
      this.buf.writeInt32BE(12, start);
      this.at = h;
      return;
    }
    h = this.buf.writeInt32BE(n, h);
    this.buf.writeInt32BE(1, h); // lower bound
    this.at = at;
  }
}
