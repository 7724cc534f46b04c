/** Chat-like data for the chat benches: Chinese and English word lists, a seeded generator. */

export const EN = `price discount order refund delivery quality service customer product contract invoice payment
account transfer bank card wechat alipay coupon voucher promotion sample meeting address phone email
tomorrow today morning evening weekend holiday shipping warehouse stock supplier factory warranty repair
install upgrade license premium basic package bundle member level points reward bonus commission agent
partner channel store online offline cash credit debit loan interest rate fee charge cost budget quote
deal offer special limited urgent confirm cancel change update check review approve reject sign send
receive return exchange complaint feedback survey rating star trust secret private personal gift free`
  .split(/\s+/)
  .filter(Boolean);
export const ZH =
  `价格 优惠 订单 退款 发货 质量 服务 客户 产品 合同 发票 付款 账户 转账 银行 微信 支付宝 优惠券 代金券 促销
样品 会议 地址 电话 邮箱 明天 今天 上午 晚上 周末 假期 快递 仓库 库存 供应商 工厂 保修 维修 安装 升级 会员 积分
奖励 佣金 代理 渠道 门店 线上 线下 现金 信用 贷款 利息 费用 成本 预算 报价 活动 特价 限时 紧急 确认 取消 修改
审核 签字 发送 收到 退货 换货 投诉 反馈 评价 信任 私下 个人 礼物 免费 回扣 返现 好处 私聊 加我 私人 打折 便宜`
    .split(/\s+/)
    .filter(Boolean);

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pickWith = <T>(rand: () => number, xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

/** Distinct keywords: Chinese word pairs and English word pairs (a few single words, which do occur). */
export function chatKeywords(n: number, rand: () => number): string[] {
  const pick = <T>(xs: readonly T[]) => pickWith(rand, xs);
  const out = new Set<string>();
  for (const w of ['回扣', '返现', 'kickback', 'Refund Now', '私下转账']) out.add(w);
  while (out.size < n) {
    const r = rand();
    if (r < 0.45) out.add(pick(ZH) + pick(ZH));
    else if (r < 0.9) out.add(`${pick(EN)} ${pick(EN)}`);
    else out.add(pick(ZH) + pick(EN));
  }
  return [...out];
}

/** A chat-like text of about `chars` characters, mixing Chinese and English sentences. */
export function chatText(chars: number, rand: () => number): string {
  const pick = <T>(xs: readonly T[]) => pickWith(rand, xs);
  const parts: string[] = [];
  let len = 0;
  while (len < chars) {
    const zh = rand() < 0.6;
    const words = 3 + Math.floor(rand() * 8);
    const s = zh
      ? Array.from({ length: words }, () => pick(ZH)).join('') + '。'
      : Array.from({ length: words }, () => pick(EN)).join(' ') + '. ';
    parts.push(s);
    len += s.length;
  }
  return parts.join('').slice(0, chars);
}
