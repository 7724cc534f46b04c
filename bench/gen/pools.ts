/**
 * Word pools of the generated data: Chinese and English names, companies,
 * remarks, notes and tags. Indexed by hash in SQL (passed as text[]), so the
 * same seed always yields the same rows.
 */
export const ZH_SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
export const ZH_GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁琳晶欣怡婷雪颖倩洁佳悦梦瑶思雨晨阳博文轩睿子涵嘉琪诗然若欢月'];
export const EN_FIRST = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Susan',
  'Richard', 'Jessica', 'Joseph', 'Sarah', 'Thomas', 'Karen', 'Charles', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty',
  'Anthony', 'Sandra', 'Mark', 'Ashley', 'Steven', 'Emily', 'Paul', 'Michelle', 'Andrew', 'Amanda', 'Kevin', 'Melissa',
  'Brian', 'Olivia', 'George', 'Sophia', 'Lily', 'Grace', 'Chloe', 'Ethan', 'Lucas', 'Mia', 'Noah', 'Emma', 'Leo', 'Zoe',
];
export const EN_LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Wilson',
  'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
  'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Chen',
  'Wang', 'Liu', 'Zhang', 'Huang', 'Wong', 'Lin', 'Ng', 'Tan', 'Lim', 'Ho', 'Cheung', 'Kim', 'Park', 'Nguyen',
];
export const ZH_CITIES = ['上海', '北京', '深圳', '杭州', '广州', '成都', '南京', '苏州', '武汉', '西安', '重庆', '厦门'];
export const ZH_COMPANY_WORDS = ['华美', '恒信', '新锐', '博远', '天成', '金源', '瑞丰', '嘉禾', '凯达', '宏图', '悦颜', '青禾', '云帆', '锦程'];
export const ZH_COMPANY_SUFFIX = ['科技有限公司', '贸易有限公司', '美容院', '化妆品店', '电子商务有限公司', '生物科技有限公司', '商贸行'];
export const EN_COMPANY_WORDS = ['Acme', 'Blue River', 'Golden Gate', 'Northwind', 'Contoso', 'Summit', 'Evergreen', 'Pioneer', 'Lotus', 'Jade'];
export const EN_COMPANY_SUFFIX = ['Trading Ltd', 'Cosmetics Co.', 'Retail LLC', 'Tech Inc.', 'Foods Ltd', 'Beauty Group', 'Holdings'];
export const REMARKS = [
  'VIP 会员', '老客户 returning', '朋友介绍 referral', '批发 wholesale', '展会 spring fair', '意向强 hot lead', '价格敏感',
  'prefers WeChat', '周末联系', 'asked for samples', '企业采购', 'key account', '复购 repeat buyer', '直播间 live stream',
];
export const NOTE_BODIES = [
  '电话沟通，客户对新品感兴趣', 'Called, interested in the spring collection', '寄送样品，等待反馈', 'Sent samples, waiting for feedback',
  '客户要求报价', 'Asked for a quote on 200 units', '到店体验，购买了套装', 'Visited the store, bought a gift set',
  '跟进售后问题', 'Follow up on the delivery delay', '约定下周回访', 'Meeting next Tuesday at their office',
  '客户生日，发送祝福', 'Birthday greeting sent', '推荐会员活动', 'Invited to the members event',
];
export const TAG_GROUPS: Array<[string, string[]]> = [
  ['客户等级 Tier', ['VIP', '金卡 Gold', '银卡 Silver', '普通 Regular', '潜在 Prospect', '流失 Churned']],
  ['兴趣 Interest', ['护肤 Skincare', '彩妆 Makeup', '香水 Fragrance', '美发 Hair', '身体护理 Body', '男士 Men']],
  ['来源 Source', ['线下门店 Store', '直播 Live', '小程序 Mini program', '展会 Fair', '转介绍 Referral', '广告 Ads']],
  ['地区 Region', ['华东 East', '华南 South', '华北 North', '西南 Southwest', '华中 Central', '海外 Overseas']],
  ['消费力 Spend', ['高 High', '中 Medium', '低 Low', '价格敏感 Price-sensitive', '团购 Group buy', '企业 Corporate']],
  ['生命周期 Lifecycle', ['新客 New', '活跃 Active', '沉睡 Dormant', '唤醒 Reactivated', '复购 Repeat', '推荐人 Advocate']],
  ['偏好渠道 Channel', ['微信 WeChat', '电话 Phone', '短信 SMS', '邮件 Email', '到店 In store', '企业微信群 Group']],
  ['活动 Campaign', ['双十一 11.11', '618', '春节 CNY', '会员日 Members day', '新品 Launch', '周年庆 Anniversary']],
];
export const REGION_NAMES = ['华东大区 East China', '华南大区 South China', '华北大区 North China', '西南大区 Southwest', '华中大区 Central China', '海外 International'];
