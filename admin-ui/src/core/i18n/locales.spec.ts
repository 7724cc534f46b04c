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

/** The areas' own texts (src/features/<area>/locales/{en,zh-CN}.json, see register-texts.ts), by folder. */
const areaLocales = import.meta.glob<{ default: object }>('../../features/*/locales/*.json', { eager: true });
const areas = new Map<string, { en?: object; zh?: object }>();
for (const [path, mod] of Object.entries(areaLocales)) {
  const [, area, lng] = /features\/([^/]+)\/locales\/([^/]+)\.json$/.exec(path) ?? [];
  const entry = areas.get(area) ?? {};
  if (lng === 'en') entry.en = mod.default;
  else if (lng === 'zh-CN') entry.zh = mod.default;
  else throw new Error(`${path}: only en.json and zh-CN.json are read`);
  areas.set(area, entry);
}

describe.each([...areas])('the texts of the %s area', (_area, { en: areaEn, zh: areaZh }) => {
  it('has both languages with the same keys and no empty text', () => {
    expect(areaEn).toBeDefined();
    expect(areaZh).toBeDefined();
    const zhKeys = keys(areaZh!);
    const enKeys = keys(areaEn!);
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    const values = (tree: object): string[] =>
      Object.values(tree).flatMap((v) => (v && typeof v === 'object' ? values(v) : [String(v)]));
    expect([...values(areaEn!), ...values(areaZh!)].filter((v) => !v.trim())).toEqual([]);
  });
});

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
