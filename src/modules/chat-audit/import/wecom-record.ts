import { MessageType } from 'src/modules/chat-audit/types/chat.types';

/** WeCom's msgtype → the archive's message type (anything else is OTHER, its object kept as the payload). */
const TYPES: ReadonlyMap<string, MessageType> = new Map([
  ['text', MessageType.TEXT],
  ['image', MessageType.IMAGE],
  ['voice', MessageType.VOICE],
  ['video', MessageType.VIDEO],
  ['file', MessageType.FILE],
  ['link', MessageType.LINK],
  ['location', MessageType.LOCATION],
  ['card', MessageType.CARD],
  ['weapp', MessageType.MINI_PROGRAM],
  ['revoke', MessageType.REVOKE],
  ['agree', MessageType.AGREE],
  ['disagree', MessageType.DISAGREE],
]);

/** Why a record is skipped rather than imported (counted by kind in the summary; not an error). */
export const SKIP_GROUP_CHAT = 'group chat (roomid): a conversation is one employee with one customer';
export const SKIP_SWITCH = 'switch (an employee switching enterprise; no message)';
export const SKIP_BEFORE_POSITION = 'seq at or before the stored position (already imported)';

/** A decrypted 1:1 record, its parties still WeCom ids (from the employee's or the customer's side: resolved next). */
export interface WecomMessage {
  kind: 'message';
  seq: number | null;
  msgid: string;
  from: string;
  to: string;
  type: MessageType;
  text: string | null;
  payload: unknown;
  sentAt: Date;
}

export type WecomRecord =
  | WecomMessage
  | { kind: 'skip'; seq: number | null; reason: string }
  | { kind: 'reject'; seq: number | null; msgid: string | null; reason: string };

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * One line of WeCom's decrypted chat archive (GetChatData, then decrypted):
 * msgid, action (send, recall, switch), from, tolist, roomid, msgtime (ms),
 * msgtype with its object (text.content, agree/disagree with agree_time, ...)
 * and the seq the archive is pulled by. What the importer cannot place is a
 * skip (group chats, switches) or a rejection with a reason; the message
 * rules themselves (text on TEXT, future times, who is known) are the ingest
 * service's, applied afterwards.
 */
export function parseWecomRecord(line: string): WecomRecord {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { kind: 'reject', seq: null, msgid: null, reason: 'not a JSON object' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { kind: 'reject', seq: null, msgid: null, reason: 'not a JSON object' };
  const r = v as Record<string, unknown>;
  const seq = r.seq === undefined || r.seq === null ? null : Number(r.seq);
  if (seq !== null && (!Number.isSafeInteger(seq) || seq < 0))
    return { kind: 'reject', seq: null, msgid: str(r.msgid), reason: 'seq: must be a non-negative integer' };
  const msgid = str(r.msgid);
  const reject = (reason: string): WecomRecord => ({ kind: 'reject', seq, msgid, reason });
  if (r.action === 'switch') return { kind: 'skip', seq, reason: SKIP_SWITCH };
  if (r.action !== 'send' && r.action !== 'recall') return reject('action: must be send, recall or switch');
  if (!msgid) return reject('msgid: must be a non-empty string');
  if (str(r.roomid)) return { kind: 'skip', seq, reason: SKIP_GROUP_CHAT };
  const from = str(r.from);
  if (!from) return reject('from: must be a non-empty string');
  if (!Array.isArray(r.tolist) || r.tolist.length !== 1 || !str(r.tolist[0]))
    return reject('tolist: a message outside a group chat names exactly one recipient');
  const msgtype = str(r.msgtype);
  if (!msgtype) return reject('msgtype: must be a non-empty string');
  const type = r.action === 'recall' ? MessageType.REVOKE : (TYPES.get(msgtype) ?? MessageType.OTHER);
  const body = r[msgtype];
  let at = typeof r.msgtime === 'number' ? r.msgtime : NaN;
  let text: string | null = null;
  let payload: unknown = null;
  if (type === MessageType.TEXT) {
    const content = (body as { content?: unknown } | undefined)?.content;
    if (content !== undefined && content !== null && typeof content !== 'string')
      return reject('text.content: must be a string');
    text = (content as string | undefined) ?? null;
  } else if (type === MessageType.AGREE || type === MessageType.DISAGREE) {
    // The consent takes effect when the customer gave it (agree_time), which WeCom may log later than that.
    const when = (body as { agree_time?: unknown } | undefined)?.agree_time;
    if (typeof when === 'number') at = when;
  } else if (type === MessageType.REVOKE) {
    const pre = (body as { pre_msgid?: unknown } | undefined)?.pre_msgid;
    payload = { msgtype, preMsgId: typeof pre === 'string' ? pre : null };
  } else {
    payload = body === undefined ? { msgtype } : { msgtype, [msgtype]: body };
  }
  if (!Number.isFinite(at) || Number.isNaN(new Date(at).getTime()))
    return reject('msgtime: must be a time in milliseconds');
  return { kind: 'message', seq, msgid, from, to: r.tolist[0] as string, type, text, payload, sentAt: new Date(at) };
}
