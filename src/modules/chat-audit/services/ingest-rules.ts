import { isUUID } from 'class-validator';
import { longerThan } from 'src/core/validation/storable-text';
import { ChatMessageInput } from 'src/modules/chat-audit/dto/chat.inputs';
import { MessageType, SenderType } from 'src/modules/chat-audit/types/chat.types';
import { BLANK_MESSAGE, isBlank } from 'src/core/validation/not-blank.decorator';

/** DOMAIN.md: a message sent more than 5 minutes in the future is rejected. */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_EXTERNAL_ID = 128;
export const MAX_CHAT_TEXT = 10_000;
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/** Message types that record consent instead of carrying content (WeCom agree/disagree). */
export const CONSENT_TYPES: ReadonlyMap<string, 'AGREED' | 'DISAGREED'> = new Map([
  [MessageType.AGREE, 'AGREED'],
  [MessageType.DISAGREE, 'DISAGREED'],
]);

/** A message that passed the checks that need no database; who it names is resolved next. */
export interface CheckedMessage {
  index: number;
  externalId: string;
  employee: { id?: string; externalId?: string };
  customer: { id?: string; externalId?: string };
  senderType: SenderType;
  type: MessageType;
  text: string | null;
  payload: unknown;
  sentAt: Date;
}

export type CheckResult = { ok: CheckedMessage } | { reason: string };

/**
 * The checks of one message that need no database (DOMAIN.md "Chat audit"):
 * an external id, who it is between (an id or an external id each), text on
 * TEXT, sizes, and a time at most 5 minutes ahead of `now`.
 */
export function checkMessage(m: ChatMessageInput, index: number, now: number): CheckResult {
  if (isBlank(m.externalId)) return { reason: `externalId: ${BLANK_MESSAGE}` };
  if (longerThan(m.externalId, MAX_EXTERNAL_ID))
    return { reason: `externalId: must be at most ${MAX_EXTERNAL_ID} characters` };
  const employee = ref(m.employeeId, m.employeeExternalId);
  if (!employee) return { reason: 'employee: give employeeId or employeeExternalId' };
  if (employee.id !== undefined && !isUUID(employee.id, 'all')) return { reason: 'employeeId: must be an employee id' };
  const customer = ref(m.customerId, m.customerExternalId);
  if (!customer) return { reason: 'customer: give customerId or customerExternalId' };
  if (customer.id !== undefined && !isUUID(customer.id, 'all')) return { reason: 'customerId: must be a customer id' };
  if (m.type === MessageType.TEXT && isBlank(m.text)) return { reason: 'text: required for a TEXT message' };
  if (m.text && longerThan(m.text, MAX_CHAT_TEXT))
    return { reason: `text: must be at most ${MAX_CHAT_TEXT} characters` };
  if (
    m.payload !== undefined &&
    m.payload !== null &&
    Buffer.byteLength(JSON.stringify(m.payload)) > MAX_PAYLOAD_BYTES
  ) {
    return { reason: `payload: must be at most ${MAX_PAYLOAD_BYTES} bytes as JSON` };
  }
  const at = m.sentAt instanceof Date ? m.sentAt.getTime() : NaN;
  if (Number.isNaN(at)) return { reason: 'sentAt: must be a date-time' };
  if (at > now + MAX_FUTURE_MS) return { reason: 'sentAt: more than 5 minutes in the future' };
  return {
    ok: {
      index,
      externalId: m.externalId,
      employee,
      customer,
      senderType: m.senderType,
      type: m.type,
      // Consent messages carry no content.
      text: CONSENT_TYPES.has(m.type) || isBlank(m.text) ? null : m.text!,
      payload: CONSENT_TYPES.has(m.type) ? null : (m.payload ?? null),
      sentAt: new Date(at),
    },
  };
}

function ref(
  id: string | null | undefined,
  externalId: string | null | undefined,
): { id?: string; externalId?: string } | null {
  if (!isBlank(id)) return { id: id! };
  if (!isBlank(externalId)) return { externalId: externalId! };
  return null;
}

/** The first day (UTC) of each month a set of times falls in, as `YYYY-MM-01`: the partitions they need. */
export function monthsOf(times: readonly Date[]): string[] {
  const out = new Set<string>();
  for (const t of times) out.add(`${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-01`);
  return [...out].sort();
}
