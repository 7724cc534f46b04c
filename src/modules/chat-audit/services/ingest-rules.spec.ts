import { ChatMessageInput } from 'src/modules/chat-audit/dto/chat.inputs';
import { MessageType, SenderType } from 'src/modules/chat-audit/types/chat.types';
import { checkMessage, MAX_CHAT_TEXT, monthsOf } from './ingest-rules';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const base = (over: Partial<ChatMessageInput> = {}): ChatMessageInput => ({
  externalId: 'm1',
  employeeExternalId: 'zhangsan',
  customerExternalId: 'wmABC',
  senderType: SenderType.EMPLOYEE,
  type: MessageType.TEXT,
  text: '你好',
  sentAt: new Date(NOW),
  ...over,
});
const reason = (m: ChatMessageInput) => {
  const r = checkMessage(m, 0, NOW);
  return 'reason' in r ? r.reason : null;
};

describe('checkMessage', () => {
  it('accepts a text message naming both sides by external id', () => {
    expect(checkMessage(base(), 3, NOW)).toEqual({
      ok: expect.objectContaining({
        index: 3,
        externalId: 'm1',
        employee: { externalId: 'zhangsan' },
        customer: { externalId: 'wmABC' },
        text: '你好',
      }),
    });
  });

  it('rejects each missing or malformed part with its reason', () => {
    expect(reason(base({ externalId: ' ' }))).toBe('externalId: must not be blank');
    expect(reason(base({ externalId: 'x'.repeat(129) }))).toBe('externalId: must be at most 128 characters');
    expect(reason(base({ employeeExternalId: null }))).toBe('employee: give employeeId or employeeExternalId');
    expect(reason(base({ employeeId: 'nope' }))).toBe('employeeId: must be an employee id');
    expect(reason(base({ customerExternalId: '' }))).toBe('customer: give customerId or customerExternalId');
    expect(reason(base({ text: null }))).toBe('text: required for a TEXT message');
    expect(reason(base({ text: 'x'.repeat(MAX_CHAT_TEXT + 1) }))).toBe('text: must be at most 10000 characters');
    expect(reason(base({ payload: { a: 'x'.repeat(17000) } }))).toBe('payload: must be at most 16384 bytes as JSON');
  });

  it('allows up to 5 minutes of clock skew, not more', () => {
    expect(reason(base({ sentAt: new Date(NOW + 5 * 60_000) }))).toBeNull();
    expect(reason(base({ sentAt: new Date(NOW + 5 * 60_000 + 1) }))).toBe('sentAt: more than 5 minutes in the future');
  });

  it('keeps no content on consent messages and needs no text on other types', () => {
    const r = checkMessage(base({ type: MessageType.DISAGREE, text: 'ignored', payload: { x: 1 } }), 0, NOW);
    expect('ok' in r && { text: r.ok.text, payload: r.ok.payload }).toEqual({ text: null, payload: null });
    expect(reason(base({ type: MessageType.IMAGE, text: null, payload: { url: 'x' } }))).toBeNull();
  });
});

describe('monthsOf', () => {
  it('gives each UTC month once, in order', () => {
    const times = ['2026-02-28T23:59:59.999Z', '2026-01-31T00:00:00Z', '2026-02-01T00:00:00Z'].map((s) => new Date(s));
    expect(monthsOf(times)).toEqual(['2026-01-01', '2026-02-01']);
  });
});
