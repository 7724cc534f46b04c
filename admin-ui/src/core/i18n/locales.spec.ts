import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/** Every key path of a locale, plural forms (_one, _other...) folded into their base key. */
function keys(tree: object, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const sub of keys(v, path)) out.add(sub);
    else out.add(path.replace(/_(zero|one|two|few|many|other)$/, ''));
  }
  return out;
}

describe('translations', () => {
  it('has every English key in Chinese', () => {
    const zh = keys(zhCN);
    expect([...keys(en)].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('has every Chinese key in English', () => {
    const english = keys(en);
    expect([...keys(zhCN)].filter((k) => !english.has(k))).toEqual([]);
  });

  it('gives Chinese plurals their one form (_other) and no empty strings', () => {
    const values = (tree: object): string[] =>
      Object.values(tree).flatMap((v) => (v && typeof v === 'object' ? values(v) : [String(v)]));
    expect(values(zhCN).filter((v) => !v.trim())).toEqual([]);
    expect(values(en).filter((v) => !v.trim())).toEqual([]);
  });
});
