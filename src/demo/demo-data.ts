/**
 * The demo organization's people and structure: plain data, no behaviour.
 * Steps in ./steps read it; later steps (customers, chats, moments) pick their
 * actors from here by key or by role, so keys are stable identifiers: never
 * rename one without updating the steps that use it.
 */

export const DEMO_SLUG = 'demo';
export const DEMO_PASSWORD = 'Harbor-lantern-42';
export const DEMO_EMAIL_DOMAIN = 'demo.local';
/** Seed of the seeded PRNG; each step derives its own stream from it and its name. */
export const DEMO_RANDOM_SEED = 20240618;

export const DEMO_ORGANIZATION = {
  name: 'Lumière Beauty 丽美美妆',
  slug: DEMO_SLUG,
  timezone: 'Asia/Shanghai',
} as const;

export type DemoRole = 'admin' | 'manager' | 'sales' | 'marketer' | 'auditor';

export interface DemoDepartment {
  /** Stable key; the created id is stored in the seed context as `dept:<key>`. */
  key: string;
  name: string;
  /** Parent key; `root` is the organization's root department (created with the organization). */
  parent: string;
}

/** The key of the root department, which OrganizationsService.create makes (named after the organization). */
export const ROOT_DEPARTMENT_KEY = 'root';

/**
 * Three levels: root (the company, i.e. HQ) > regions and HQ functions > stores.
 * Parents come before children.
 */
export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { key: 'east', name: '华东大区 East China', parent: ROOT_DEPARTMENT_KEY },
  { key: 'south', name: '华南大区 South China', parent: ROOT_DEPARTMENT_KEY },
  { key: 'north', name: '华北大区 North China', parent: ROOT_DEPARTMENT_KEY },
  { key: 'marketing', name: '市场部 Marketing', parent: ROOT_DEPARTMENT_KEY },
  { key: 'compliance', name: '合规部 Compliance', parent: ROOT_DEPARTMENT_KEY },
  { key: 'shanghai', name: '上海门店 Shanghai Stores', parent: 'east' },
  { key: 'hangzhou', name: '杭州门店 Hangzhou Stores', parent: 'east' },
  { key: 'nanjing', name: '南京门店 Nanjing Stores', parent: 'east' },
  { key: 'guangzhou', name: '广州门店 Guangzhou Stores', parent: 'south' },
  { key: 'shenzhen', name: '深圳门店 Shenzhen Stores', parent: 'south' },
  { key: 'beijing', name: '北京门店 Beijing Stores', parent: 'north' },
];

export interface DemoEmployee {
  /** WeCom userid; also the stable key (`emp:<externalId>` in the seed context) and the e-mail's local part. */
  externalId: string;
  name: string;
  title: string;
  department: string;
  roles: DemoRole[];
  /** Fixed capacity; when absent the employees step varies it around 5000 with the seeded PRNG. */
  customerCapacity?: number;
}

/** The admin is created with the organization (OrganizationsService.create), in the root department. */
export const DEMO_ADMIN = {
  externalId: 'zhoumin',
  name: '周敏 Zoe Zhou',
  email: `admin@${DEMO_EMAIL_DOMAIN}`,
  title: '系统管理员 IT Administrator',
} as const;

const sales = (externalId: string, name: string, department: string, title = '美容顾问 Beauty Advisor'): DemoEmployee => ({
  externalId,
  name,
  title,
  department,
  roles: ['sales'],
});

/** Everyone but the admin, in creation order. */
export const DEMO_EMPLOYEES: readonly DemoEmployee[] = [
  // Managers heading the regions (and the flagship Shanghai stores).
  {
    externalId: 'linjie',
    name: '林杰 Jason Lin',
    title: '华东区域总监 Regional Director, East China',
    department: 'east',
    roles: ['manager'],
    customerCapacity: 2000,
  },
  {
    externalId: 'huangli',
    name: '黄丽 Helen Huang',
    title: '华南区域总监 Regional Director, South China',
    department: 'south',
    roles: ['manager'],
    customerCapacity: 2000,
  },
  {
    externalId: 'zhaolei',
    name: '赵磊',
    title: '华北区域总监 Regional Director, North China',
    department: 'north',
    roles: ['manager'],
    customerCapacity: 2000,
  },
  {
    externalId: 'sunyue',
    name: '孙悦 Yvonne Sun',
    title: '上海门店店长 Store Manager, Shanghai',
    department: 'shanghai',
    roles: ['manager'],
    customerCapacity: 3000,
  },

  // Sales: beauty advisors in the stores.
  sales('zhangwei', '张伟', 'shanghai', '资深美容顾问 Senior Beauty Advisor'),
  sales('lily.chen', 'Lily Chen 陈莉', 'shanghai'),
  sales('wangfang', '王芳', 'shanghai'),
  sales('liuyang', '刘洋 Leo Liu', 'shanghai'),
  sales('xuting', '徐婷', 'shanghai'),
  sales('amy.wu', 'Amy Wu 吴倩', 'shanghai'),
  { ...sales('zhoujie', '周杰', 'shanghai', '实习美容顾问 Trainee Beauty Advisor'), customerCapacity: 1000 },
  sales('chenjing', '陈静', 'hangzhou', '资深美容顾问 Senior Beauty Advisor'),
  sales('yangmei', '杨梅 May Yang', 'hangzhou'),
  sales('hetao', '何涛', 'hangzhou'),
  sales('zhuqian', '朱倩', 'hangzhou'),
  sales('gaofeng', '高峰 Frank Gao', 'nanjing'),
  sales('wangfang01', '王芳', 'nanjing'),
  sales('luoxin', '罗欣', 'nanjing'),
  sales('liangyu', '梁宇 Ryan Liang', 'guangzhou', '资深美容顾问 Senior Beauty Advisor'),
  sales('tanghui', '唐慧', 'guangzhou'),
  sales('coco.zheng', 'Coco Zheng 郑可', 'guangzhou'),
  sales('fengyan', '冯艳', 'guangzhou'),
  sales('caijun', '蔡俊', 'guangzhou'),
  sales('denglin', '邓琳 Linda Deng', 'shenzhen'),
  sales('xiexin', '谢欣', 'shenzhen'),
  sales('hanbing', '韩冰', 'shenzhen'),
  {
    ...sales('kevin.pan', 'Kevin Pan 潘凯', 'shenzhen', '实习美容顾问 Trainee Beauty Advisor'),
    customerCapacity: 1000,
  },
  sales('majun', '马骏', 'beijing', '资深美容顾问 Senior Beauty Advisor'),
  sales('songjia', '宋佳 Jessica Song', 'beijing'),
  sales('yuhang', '于航', 'beijing'),
  sales('dongxue', '董雪', 'beijing'),
  sales('tianmi', '田蜜 Tina Tian', 'beijing'),

  // Marketing and compliance at HQ.
  {
    externalId: 'grace.li',
    name: 'Grace Li 李雅',
    title: '品牌营销经理 Brand Marketing Manager',
    department: 'marketing',
    roles: ['marketer'],
  },
  {
    externalId: 'xiaoyu',
    name: '肖雨',
    title: '内容运营 Content Operations',
    department: 'marketing',
    roles: ['marketer'],
  },
  {
    externalId: 'qianhao',
    name: '钱浩 Howard Qian',
    title: '合规审计专员 Compliance Auditor',
    department: 'compliance',
    roles: ['auditor'],
  },
];

export const demoEmail = (externalId: string): string => `${externalId}@${DEMO_EMAIL_DOMAIN}`;

/** One login per role for the hint printed after start-up. */
export const DEMO_SHOWCASE_LOGINS: ReadonlyArray<{ role: DemoRole; externalId: string }> = [
  { role: 'manager', externalId: 'linjie' },
  { role: 'sales', externalId: 'zhangwei' },
  { role: 'marketer', externalId: 'grace.li' },
  { role: 'auditor', externalId: 'qianhao' },
];
