import { registerTexts } from '../../core/i18n/register-texts';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/** The admin pages' texts, loaded with their lazy chunks (never by the login page). */
registerTexts('org-admin', { en, 'zh-CN': zhCN });

export const NS = 'org-admin';
