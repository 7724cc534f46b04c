import { ChatMatcher, luhnValid, MatcherRule, normalize } from './chat-matcher';

const rule = (over: Partial<MatcherRule> = {}): MatcherRule => ({ id: 'r', keywords: [], semantics: [], ...over });
const matched = (m: ChatMatcher, text: string, sender?: string) =>
  Object.fromEntries(m.match(text, sender).map((h) => [h.ruleId, h.matched]));

describe('ChatMatcher', () => {
  it('matches keywords as case- and width-insensitive substrings, Chinese with no spaces', () => {
    const m = new ChatMatcher([rule({ id: 'a', keywords: ['Refund', '回扣', 'ＶＩＰ'] })]);
    expect(matched(m, 'please REFUND me')).toEqual({ a: ['Refund'] });
    expect(matched(m, 'ｒｅｆｕｎｄ now')).toEqual({ a: ['Refund'] });
    expect(matched(m, '这次给你回扣吧')).toEqual({ a: ['回扣'] });
    expect(matched(m, 'vip customers')).toEqual({ a: ['ＶＩＰ'] });
    expect(matched(m, 'refunds and 回扣')).toEqual({ a: ['Refund', '回扣'] });
    expect(matched(m, '回 扣, re fund')).toEqual({});
  });

  it('reports every rule a text hits, a shared keyword for each, and respects sender types', () => {
    const m = new ChatMatcher([
      rule({ id: 'a', keywords: ['price'] }),
      rule({ id: 'b', keywords: ['PRICE', 'cash'], appliesTo: ['CUSTOMER'] }),
    ]);
    expect(matched(m, 'best price in cash', 'CUSTOMER')).toEqual({ a: ['price'], b: ['PRICE', 'cash'] });
    expect(matched(m, 'best price in cash', 'EMPLOYEE')).toEqual({ a: ['price'] });
  });

  it('detects mainland and international phone numbers, with separators and full-width digits', () => {
    const m = new ChatMatcher([rule({ id: 'p', semantics: ['PHONE_NUMBER'] })]);
    for (const t of [
      'call 13812345678',
      '+86 138-1234-5678',
      '电话１３９１２３４５６７８',
      '+44 20 7946 0958',
      '+1-415-555-0132',
    ])
      expect([t, matched(m, t)]).toEqual([t, { p: ['PHONE_NUMBER'] }]);
    for (const t of ['12812345678', '1381234567', 'order 138123456789', 'room 4403'])
      expect([t, matched(m, t)]).toEqual([t, {}]);
  });

  it('detects e-mail addresses', () => {
    const m = new ChatMatcher([rule({ id: 'e', semantics: ['EMAIL'] })]);
    expect(matched(m, 'write to Wang.Li@Example.com.cn')).toEqual({ e: ['EMAIL'] });
    expect(matched(m, 'meet @ 5pm, a@b')).toEqual({});
  });

  it('detects red packets by their wording', () => {
    const m = new ChatMatcher([rule({ id: 'r', semantics: ['RED_PACKET'] })]);
    for (const t of ['发个红包给你', '紅包', 'I sent a Red Packet', 'hongbao!'])
      expect(matched(m, t)).toEqual({ r: ['RED_PACKET'] });
    expect(matched(m, '红色的包')).toEqual({});
  });

  it('detects Luhn-valid bank card numbers of 13-19 digits, never a Luhn-invalid one or a phone', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    const m = new ChatMatcher([rule({ id: 'c', semantics: ['BANK_CARD'] })]);
    expect(matched(m, 'card 6222 0212 3456 7898 0')).toEqual({});
    expect(matched(m, 'card 4111 1111 1111 1111')).toEqual({ c: ['BANK_CARD'] });
    expect(luhnValid('6217000010000000006')).toBe(false);
    expect(matched(m, '卡号6217000010000000006')).toEqual({});
    expect(matched(m, '卡号6217000010000000003')).toEqual({ c: ['BANK_CARD'] });
    expect(matched(m, '卡号4111111111111111')).toEqual({ c: ['BANK_CARD'] });
    expect(matched(m, 'card 4111111111111112')).toEqual({});
    // 86 + a mobile happens to pass Luhn: still a phone, not a card.
    expect(luhnValid('8613800000004')).toBe(true);
    expect(matched(m, 'tel 8613800000004')).toEqual({});
  });

  it('explains matches with their positions in the original text, full-width included', () => {
    const m = new ChatMatcher([rule({ keywords: ['vip', '回扣'], semantics: ['EMAIL', 'RED_PACKET'] })]);
    const text = 'ＶＩＰ给回扣和红包 a@b.cn';
    expect(m.explain(text)).toEqual([
      { kind: 'KEYWORD', value: 'vip', start: 0, end: 3 },
      { kind: 'KEYWORD', value: '回扣', start: 4, end: 6 },
      { kind: 'SEMANTIC', value: 'RED_PACKET', start: 7, end: 9 },
      { kind: 'SEMANTIC', value: 'EMAIL', start: 10, end: 16 },
    ]);
    expect(normalize('ﬁＡ')).toBe('fia');
    expect(new ChatMatcher([rule({ keywords: ['fi'] })]).explain('xﬁy')).toEqual([
      { kind: 'KEYWORD', value: 'fi', start: 1, end: 2 },
    ]);
  });
});
