import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { apiError } from './api-error';

/** A whole-page (or whole-card) error, worded from the API's code: 403 and 404 get their own pictures. */
export function ErrorResult({
  error,
  onRetry,
  badIdIsNotFound,
}: {
  error: unknown;
  onRetry?: () => void;
  /** A page addressed by an id in its URL: a malformed id (BAD_USER_INPUT) reads as "not found". */
  badIdIsNotFound?: boolean;
}) {
  const { t } = useTranslation();
  const read = apiError(error);
  const info = badIdIsNotFound && read.code === 'BAD_USER_INPUT' ? { ...read, code: 'NOT_FOUND' as const } : read;
  const status = info.code === 'FORBIDDEN' ? '403' : info.code === 'NOT_FOUND' ? '404' : 'error';
  return (
    <Result
      status={status}
      title={t(`errors.${info.code}.title`)}
      subTitle={t(`errors.${info.code}.detail`, { seconds: info.retryAfterSeconds ?? 60 })}
      extra={
        onRetry && info.code !== 'FORBIDDEN' && info.code !== 'NOT_FOUND' ? (
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        ) : undefined
      }
    />
  );
}

/** One-line wording of an error for messages and alerts. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    const info = apiError(error);
    return t(`errors.${info.code}.detail`, { seconds: info.retryAfterSeconds ?? 60 });
  };
}
