/**
 * The demo organization's archived chats: a few days of conversations between
 * sales reps and their customers, in Chinese and English, so the KPI chat
 * cards and the auditor's pages have something to show. Plain data; the chats
 * step (./steps/chats.steps.ts) sends them through the chat archive's services.
 *
 * `customer` is the n-th customer (in seed order) the employee follows;
 * `at` is [days before the seed ran, hour, minute] in the organization's day (Asia/Shanghai).
 */

export type DemoChatSender = 'EMPLOYEE' | 'CUSTOMER';

export interface DemoChatLine {
  from: DemoChatSender;
  text: string;
  at: readonly [days: number, hour: number, minute: number];
}

export interface DemoConversation {
  employee: string;
  customer: number;
  lines: readonly DemoChatLine[];
  /** The customer refuses the archiving of this conversation from this moment (WeCom's DISAGREE). */
  refusesAt?: readonly [days: number, hour: number, minute: number];
}

/** The auditor's keyword rule: raises an alert on its first hits (`notify` by employee key). */
export const DEMO_KEYWORD_RULE = {
  name: '私下交易 Off-platform deals',
  keywords: ['私下转账', '加我私人微信', 'pay me directly'],
  severity: 'HIGH',
  notify: ['qianhao'],
} as const;

const E = (text: string, days: number, hour: number, minute: number): DemoChatLine => ({
  from: 'EMPLOYEE',
  text,
  at: [days, hour, minute],
});
const C = (text: string, days: number, hour: number, minute: number): DemoChatLine => ({
  from: 'CUSTOMER',
  text,
  at: [days, hour, minute],
});

export const DEMO_CONVERSATIONS: readonly DemoConversation[] = [
  {
    employee: 'lily.chen',
    customer: 0,
    lines: [
      C('你好，上次推荐的保湿精华用完了，还有货吗？', 3, 10, 12),
      E('您好！有的，这周还有会员双倍积分活动。', 3, 10, 20),
      C('好的，那我周六下午过来。', 3, 10, 41),
      E('好的，我给您留一套小样，周六见～', 3, 10, 45),
      C('到店了，在一楼吗？', 1, 15, 2),
      E('在的，我马上下来接您。', 1, 15, 4),
    ],
  },
  {
    employee: 'lily.chen',
    customer: 1,
    lines: [
      C('Hi Lily, do you ship to Suzhou?', 2, 11, 30),
      E('Hi! Yes, free shipping over 300 yuan, usually two days.', 2, 11, 38),
      C('Great, I will order the sunscreen set online tonight.', 2, 11, 52),
    ],
  },
  {
    employee: 'amy.wu',
    customer: 0,
    lines: [
      E('王女士您好，您预约的护理是明天下午两点，需要改时间吗？', 2, 9, 15),
      C('不用，准时到。', 2, 9, 40),
      E('好的，提醒您护理前不要化浓妆哦。', 2, 9, 42),
      // A hit: the auditor's rule sees the employee offering a deal off the books.
      E('如果您介意手续费，也可以私下转账给我，价钱再便宜些。', 1, 18, 5),
      C('这样可以吗？还是按店里的流程吧。', 1, 18, 20),
    ],
  },
  {
    employee: 'amy.wu',
    customer: 1,
    refusesAt: [1, 12, 0],
    lines: [
      C('我之前买的面霜有点过敏，可以换吗？', 2, 16, 10),
      E('非常抱歉！请您带上小票，我们给您换成敏感肌系列。', 2, 16, 18),
      // The customer refused the archiving at noon the next day: from then on nothing of the content is kept.
      C('我下午三点过去，麻烦准备一下。', 1, 13, 30),
      E('好的，已经为您准备好了。', 1, 13, 35),
    ],
  },
  {
    employee: 'chenjing',
    customer: 0,
    lines: [
      C('陈老师，下个月的会员日是哪天？', 3, 20, 5),
      E('是15号，当天全场八折，还有新品试用。', 3, 20, 12),
      C('太好了，我带朋友一起来。', 3, 20, 15),
      E('欢迎！朋友第一次来可以送一次皮肤检测。', 1, 9, 30),
    ],
  },
  {
    employee: 'liangyu',
    customer: 0,
    lines: [
      C('Hello Ryan, is the anniversary gift box still available?', 2, 14, 0),
      E('Yes, two left in the Tianhe store. Shall I hold one for you?', 2, 14, 6),
      C('Please do. Can I pay by bank transfer?', 2, 14, 20),
      // A hit: the employee asks for the payment to go to him, outside the store's till.
      E('Sure, just pay me directly on WeChat and I will bring it to you.', 2, 14, 25),
      C('OK, sending it now.', 2, 14, 31),
    ],
  },
];
