import { registerTexts } from '../../core/i18n/register-texts';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/** The hand-overs area's texts; imported by each of its page modules (all in lazy chunks). */
registerTexts('handovers', { en, 'zh-CN': zhCN });
