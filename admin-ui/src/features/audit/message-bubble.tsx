import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useDateFormat } from '../../core/i18n/use-date-format';
import type { AuditMessageFragment } from './audit.generated';
import { HighlightedText } from './highlighted-text';

/**
 * What a message shows in place of text: withheld content says so and why (never an empty bubble), a message
 * without text (image, file, consent...) names its type.
 */
export function messageBody(
  m: Pick<AuditMessageFragment, 'text' | 'contentWithheld' | 'type'>,
): { kind: 'withheld' } | { kind: 'text'; text: string } | { kind: 'typeOnly'; type: AuditMessageFragment['type'] } {
  if (m.contentWithheld) return { kind: 'withheld' };
  if (m.text) return { kind: 'text', text: m.text };
  return { kind: 'typeOnly', type: m.type };
}

/** One message of a thread: sender side, time, and its content (or why there is none). */
export function MessageBubble({
  message,
  senderName,
  target,
  query,
}: {
  message: AuditMessageFragment;
  senderName: string;
  target?: boolean;
  query?: string;
}) {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const body = messageBody(message);
  const side = message.senderType === 'EMPLOYEE' ? 'from-employee' : 'from-customer';
  return (
    <li
      className={`audit-bubble-row ${side}`}
      id={`message-${message.id}`}
      aria-label={t('thread.messageLabel', { sender: senderName, time: dateTime(message.sentAt) })}
      aria-current={target ? 'true' : undefined}
    >
      <div
        className={`audit-bubble${body.kind === 'withheld' ? ' withheld' : ''}${target ? ' target' : ''}`}
        tabIndex={target ? -1 : undefined}
      >
        <div className="audit-bubble-meta">
          {senderName} · {t(`sender.${message.senderType}`)} ·{' '}
          <time dateTime={message.sentAt}>{dateTime(message.sentAt)}</time>
        </div>
        {body.kind === 'withheld' && (
          <div>
            <LockOutlined /> <strong>{t('thread.withheld')}</strong>
            <div>{t('thread.withheldWhy')}</div>
          </div>
        )}
        {body.kind === 'text' && (query ? <HighlightedText text={body.text} query={query} /> : body.text)}
        {body.kind === 'typeOnly' && <em>{t(`messageType.${body.type}`)}</em>}
      </div>
    </li>
  );
}
