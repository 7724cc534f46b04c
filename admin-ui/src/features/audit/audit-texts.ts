import { registerTexts } from '../../core/i18n/register-texts';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import './audit.css';

/** The audit area's texts; imported by each of its page modules (all in lazy chunks). */
registerTexts('audit', { en, 'zh-CN': zhCN });
