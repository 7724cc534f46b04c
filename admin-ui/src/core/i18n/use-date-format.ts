import { useTranslation } from 'react-i18next';

/** Dates and times in the console's language (the browser's time zone). */
export function useDateFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  return {
    dateTime: (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '',
    date: (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium' }).format(new Date(iso)) : '',
  };
}
