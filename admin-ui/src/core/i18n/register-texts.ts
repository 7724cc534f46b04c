import i18n from 'i18next';

/** One area's texts in both languages (the same keys in each: src/core/i18n/locales.spec.ts checks them). */
export interface AreaTexts {
  en: Record<string, unknown>;
  'zh-CN': Record<string, unknown>;
}

/**
 * Adds an area's texts as their own i18next namespace. Called at the top of the
 * area's page module, so the texts travel in the area's lazy chunk and the
 * login page never loads them; read them with `useTranslation('<namespace>')`.
 */
export function registerTexts(namespace: string, texts: AreaTexts): void {
  for (const [lng, bundle] of Object.entries(texts)) {
    if (!i18n.hasResourceBundle(lng, namespace)) i18n.addResourceBundle(lng, namespace, bundle, true, false);
  }
}
