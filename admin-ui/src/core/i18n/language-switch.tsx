import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, toSupported } from './i18n';

/** en / 中文 in the header; the choice is remembered (localStorage) over the browser's language. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented
      size="small"
      aria-label={t('header.language')}
      value={toSupported(i18n.resolvedLanguage)}
      options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      onChange={(code) => void i18n.changeLanguage(code)}
    />
  );
}
