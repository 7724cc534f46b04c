import { registerTexts } from '../../core/i18n/register-texts';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

// Imported by each page of the area (each its own lazy chunk), so the login page never loads these texts.
registerTexts('moments', { en, 'zh-CN': zhCN });
