/**
 * The demo organization's CRM data: tag groups, channels, the pools customer
 * profiles are drawn from, and the hand-overs. Plain data, no behaviour; the
 * customer plan (./customer-plan.ts) combines it with the seeded PRNG.
 *
 * Keys are stable identifiers, like those of ./demo-data.ts: tags are recorded
 * in the seed context as `tag:<group key>/<tag key>`, channels as
 * `channel:<state>`.
 */

export interface DemoTagGroup {
  key: string;
  name: string;
  tags: ReadonlyArray<{ key: string; name: string }>;
}

export const DEMO_TAG_GROUPS: readonly DemoTagGroup[] = [
  {
    key: 'skin',
    name: '肤质 Skin type',
    tags: [
      { key: 'dry', name: '干性 Dry' },
      { key: 'oily', name: '油性 Oily' },
      { key: 'combination', name: '混合 Combination' },
      { key: 'sensitive', name: '敏感 Sensitive' },
    ],
  },
  {
    key: 'interest',
    name: '兴趣 Interest',
    tags: [
      { key: 'skincare', name: '护肤 Skincare' },
      { key: 'makeup', name: '彩妆 Makeup' },
      { key: 'fragrance', name: '香水 Fragrance' },
    ],
  },
  {
    key: 'tier',
    name: '会员等级 Tier',
    tags: [
      { key: 'regular', name: '普通 Regular' },
      { key: 'silver', name: '银卡 Silver' },
      { key: 'gold', name: '金卡 Gold' },
      { key: 'black', name: '黑卡 Black' },
    ],
  },
  {
    key: 'source',
    name: '来源 Source',
    tags: [
      { key: 'store', name: '门店 Store' },
      { key: 'livestream', name: '直播 Livestream' },
      { key: 'xhs', name: '小红书 Xiaohongshu' },
    ],
  },
];

/** `skin/dry` style reference to a tag of DEMO_TAG_GROUPS. */
export type DemoTagRef = string;
export const tagKey = (ref: DemoTagRef): string => `tag:${ref}`;

export interface DemoChannel {
  /** The WeCom contact-way state; also the key (`channel:<state>`). */
  state: string;
  name: string;
  /** Employees (external ids) who serve the channel. */
  employees: readonly string[];
  tags: readonly DemoTagRef[];
  welcomeMessage: string;
  /** Share of the customers of the channel's employees added through it (before the cap below). */
  share: number;
  /** When customers arrive: days ago, as a window [from, to] (to < from), optionally bunched around a peak. */
  window: { from: number; to: number; peak?: number };
  /** Archived after the seed adds its customers (campaign over): state reserved, statistics readable. */
  archived?: boolean;
}

export const DEMO_CHANNELS: readonly DemoChannel[] = [
  {
    state: 'store-shanghai-jingan',
    name: '上海静安嘉里中心店 Jing’an Kerry Centre',
    employees: ['zhangwei', 'lily.chen', 'wangfang', 'xuting', 'amy.wu'],
    tags: ['source/store'],
    welcomeMessage:
      '您好，欢迎来到丽美美妆静安嘉里中心店！我是您的专属美容顾问，之后新品试用、会员活动和护肤问题都可以随时找我哦～回复“肤质”可预约免费肌肤测试。',
    share: 0.3,
    window: { from: 120, to: 0 },
  },
  {
    state: 'store-hangzhou-hubin',
    name: '杭州湖滨银泰店 Hubin in77',
    employees: ['chenjing', 'yangmei', 'hetao', 'zhuqian'],
    tags: ['source/store'],
    welcomeMessage: '您好，欢迎光临丽美美妆杭州湖滨店～我是您的美容顾问，有任何护肤、彩妆问题都可以问我，到店出示本消息可领取小样一份。',
    share: 0.3,
    window: { from: 120, to: 0 },
  },
  {
    state: 'store-guangzhou-tianhe',
    name: '广州天河太古汇店 Taikoo Hui',
    employees: ['liangyu', 'tanghui', 'coco.zheng', 'fengyan', 'caijun'],
    tags: ['source/store'],
    welcomeMessage: '您好呀，欢迎来到丽美美妆广州太古汇店！我是您的美容顾问，会员积分、新品预约都可以找我，祝您每天都美美的～',
    share: 0.3,
    window: { from: 120, to: 0 },
  },
  {
    state: 'store-beijing-sanlitun',
    name: '北京三里屯太古里店 Sanlitun',
    employees: ['majun', 'songjia', 'yuhang', 'dongxue', 'tianmi'],
    tags: ['source/store'],
    welcomeMessage: '您好，欢迎来到丽美美妆北京三里屯店！我是您的专属美容顾问，北方天气干燥，回复“补水”领取秋冬护肤指南～',
    share: 0.3,
    window: { from: 120, to: 0 },
  },
  {
    state: 'livestream-double11',
    name: '双11直播间 Double 11 livestream',
    employees: ['zhangwei', 'chenjing', 'liangyu', 'majun', 'denglin'],
    tags: ['source/livestream', 'interest/makeup'],
    welcomeMessage:
      '感谢关注丽美美妆双11直播间！🎉 直播专属券已放入您的账户：满499减80，丝绒雾面唇釉买二送一。有任何问题直接回复我，我帮您挑色号～',
    share: 0.25,
    window: { from: 34, to: 24, peak: 29 },
  },
  {
    state: 'xhs-spring',
    name: '小红书春季种草 Xiaohongshu spring campaign',
    employees: ['lily.chen', 'amy.wu', 'yangmei', 'coco.zheng', 'songjia', 'tianmi'],
    tags: ['source/xhs', 'interest/skincare'],
    welcomeMessage: '你好呀～看到你是从小红书来的！春季焕肤套装的试用装已经为你预留，留下收货地址就给你寄出，也可以告诉我你的肤质，帮你搭配护肤步骤哦。',
    share: 0.2,
    window: { from: 75, to: 5 },
  },
  {
    state: 'livestream-618',
    name: '618年中大促直播 (已结束) 618 livestream',
    employees: ['zhangwei', 'liangyu', 'gaofeng'],
    tags: ['source/livestream'],
    welcomeMessage: '感谢参与丽美美妆618直播！您的专属优惠券已到账，有效期至6月20日。',
    share: 0.15,
    window: { from: 120, to: 110, peak: 117 },
    archived: true,
  },
];

/** How many customers the seed adds through recordCustomerAdded (plus a few entered by hand). */
export const DEMO_CUSTOMER_COUNT = 400;
export const DEMO_MANUAL_CUSTOMER_COUNT = 6;
/** The oldest relation, in days before the seed's reference time. */
export const DEMO_HISTORY_DAYS = 120;

/**
 * Sales reps' share of the customers: senior advisors and the flagship store
 * hold many, trainees few. Reps not listed get a weight drawn around 1.
 */
export const DEMO_REP_WEIGHTS: Readonly<Record<string, number>> = {
  zhangwei: 5.5,
  chenjing: 3.5,
  liangyu: 3.5,
  majun: 3,
  'lily.chen': 2,
  denglin: 1.8,
  hetao: 1.4,
  zhoujie: 0.25,
  'kevin.pan': 0.25,
};

/**
 * Relations that end: customers who deleted their rep (lost;
 * some of them from live channels) and duplicates a rep removed.
 */
export const DEMO_ENDED_RELATIONS = { byCustomer: 12, byCustomerFromChannels: 3, byEmployee: 5 } as const;

/** The sales rep who left; their customers are handed over (ROUND_ROBIN) to two colleagues of the same store. */
export const DEMO_DEPARTURE = {
  employee: 'hetao',
  takeovers: ['yangmei', 'zhuqian'],
  message: '何涛已离职，其客户由同店杨梅、朱倩接替跟进。',
  /** Of the WAITING hand-over transfers, how many customers answer at once (the rest stay WAITING for 24 h). */
  accepted: 2,
  refused: 1,
} as const;

/** An on-the-job transfer between two Shanghai reps: one accepted, one refused, the rest WAITING. */
export const DEMO_ON_JOB_TRANSFER = {
  from: 'liuyang',
  to: 'xuting',
  customers: 5,
  message: '刘洋调往会员中心，以下客户转由徐婷跟进，请及时问候。',
  accepted: 1,
  refused: 1,
} as const;

// ------------------------------------------------------------------ profile pools

export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '萧', '田', '董', '潘', '袁', '蒋', '蔡', '余',
  '杜', '叶', '程', '苏', '魏', '吕', '丁', '沈', '任', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '范', '汪', '廖', '石',
  '欧阳', '上官', '司马',
] as const;

export const FEMALE_GIVEN = [
  '婷', '静', '丽', '娜', '敏', '燕', '琳', '雪', '倩', '颖', '欣怡', '子涵', '雨萱', '梓萱', '诗涵', '思琪', '佳怡', '晓雯', '梦瑶',
  '一诺', '可馨', '雨桐', '语嫣', '若汐', '嘉欣', '晓彤', '丹丹', '佳琪', '美玲', '慧敏', '秀英', '海燕', '雅琴', '文静', '晨曦',
  '心怡', '紫涵', '安琪', '芷若', '悦', '璐', '蕾', '媛', '露', '楠', '茜', '莉莉', '菲菲', '婉清', '书瑶',
] as const;

export const MALE_GIVEN = ['浩然', '子轩', '宇航', '俊杰', '博文', '一鸣', '志强', '建华', '明', '磊', '凯', '晨', '昊天', '嘉豪'] as const;

export const ENGLISH_FIRST = [
  'Emily',
  'Sophie',
  'Grace',
  'Chloe',
  'Vivian',
  'Cindy',
  'Angela',
  'Jasmine',
  'Irene',
  'Fiona',
  'Olivia',
  'Cherry',
  'Yoyo',
  'Nina',
  'Tiffany',
  'Karen',
  'Stella',
  'Wendy',
  'Alice',
  'Kelly',
  'Daniel',
  'Eric',
] as const;

/** Pinyin of the common surnames, for names like "Emily Zhang". */
export const PINYIN_SURNAMES = [
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Yang',
  'Huang',
  'Zhao',
  'Wu',
  'Zhou',
  'Xu',
  'Sun',
  'Lin',
  'Gao',
  'Zheng',
  'Liang',
  'Tang',
  'Song',
] as const;

/** WeChat nicknames some customers keep (the rep's remark then carries the real name). */
export const NICKNAMES = ['小鹿', '桃子', 'Momo', '柚子茶', '晴天', '一颗橙子', '喵小姐', 'Lucky', '安安', '小满', '木木', 'Cici'] as const;

export const COMPANIES = [
  '阿里巴巴 Alibaba', '字节跳动 ByteDance', '腾讯 Tencent', '携程 Trip.com', '中国平安 Ping An', '招商银行 China Merchants Bank',
  '小红书 Xiaohongshu', '华为 Huawei', '网易 NetEase', '德勤 Deloitte', '普华永道 PwC', '欧莱雅中国 L’Oréal China',
  '上海迪士尼度假区 Shanghai Disney Resort', '万科 Vanke', '美团 Meituan', '蔚来 NIO', '拼多多 PDD', '复旦大学附属华山医院',
  '杭州市第一人民医院', '星巴克 Starbucks China', '中信证券 CITIC Securities', '京东 JD.com', '大疆 DJI', '顺丰 SF Express',
] as const;

/** Mainland mobile prefixes (1[3-9]x) in use by the three carriers. */
export const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '193',
  '195',
  '198',
  '199',
] as const;

export const PRODUCTS = [
  '玻尿酸保湿精华', '山茶花修护面霜', '丝绒雾面唇釉 #316', '清透防晒乳 SPF50+', '晨露玫瑰淡香水 50ml', '氨基酸洁面乳',
  '光感粉底液 N2', '眼部精华霜', '积雪草舒缓面膜', '控油散粉', '小金瓶精华油', '春季焕肤套装',
] as const;

export const NOTE_TEMPLATES = [
  '客户反馈上次购买的{p}用着不错，想再回购两支。',
  '客户咨询{p}是否适合孕期使用，已说明成分，建议先咨询医生。',
  '介绍了{p}，客户比较感兴趣，预算在800元左右。',
  '客户生日在下个月，可安排会员生日礼。',
  '客户偏好清爽质地，不喜欢香味太重的产品。',
  '客户想给妈妈挑选抗老护肤品，推荐了{p}。',
  'Customer prefers English; interested in {p} as a gift.',
  '客户对价格比较敏感，等双11活动再下单。',
  '客户提到最近换季脸部泛红，推荐先用{p}舒缓。',
] as const;

export const CALL_TEMPLATES = [
  '电话回访：{p}使用一周，皮肤状态改善明显，满意。',
  '电话沟通会员升级权益，客户表示考虑一下。',
  '回访物流问题，快递已签收，客户满意。',
  '电话邀约周末到店做肌肤检测，客户已答应。',
] as const;

export const VISIT_TEMPLATES = [
  '到店体验{p}，现场试色后购买一支。',
  '到店做了免费肌肤测试：T区偏油、两颊偏干。',
  '到店参加新品沙龙，购买{p}和赠品套装。',
  '到店退换货：{p}色号不合适，已换货。',
] as const;

export const TASK_TEMPLATES = [
  '跟进{p}的使用反馈',
  '寄送{p}试用装',
  '提醒客户会员积分即将到期',
  '邀请客户参加周末新品沙龙',
  '确认客户生日礼领取时间',
  '回复客户关于{p}色号的问题',
] as const;

/** Short store names reps put in relation remarks, by department key. */
export const STORE_SHORT_NAMES: Readonly<Record<string, string>> = {
  shanghai: '静安店',
  hangzhou: '湖滨店',
  nanjing: '新街口店',
  guangzhou: '太古汇店',
  shenzhen: '万象城店',
  beijing: '三里屯店',
};

/** What reps write after the name in a relation remark (searchable), e.g. "王女士 静安店 老客". */
export const REMARK_SUFFIXES = ['老客', '朋友介绍', '想要{p}', '干皮 换季过敏', '公司团购', '代购勿扰', 'VIP 生日12月', '只在周末回消息'] as const;
