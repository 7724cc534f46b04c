export const PURGE_CHAT_MESSAGES = 'chat-audit.purge-messages';
export const CHAT_AUDIT_JOBS = [PURGE_CHAT_MESSAGES];
