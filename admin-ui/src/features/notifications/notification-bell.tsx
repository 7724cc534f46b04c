import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Empty, List, Popover, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { mayUse } from '../../app/access';
import { useAuth } from '../../core/auth/auth-context';
import { registerTexts } from '../../core/i18n/register-texts';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { useErrorText } from '../../core/errors/error-result';
import { LatestNotificationsDocument, MarkNotificationsReadDocument } from './notifications.generated';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { linkOf } from './notification-link';
import { useUnreadCount } from './use-unread-count';

// This module is its own lazy chunk (loaded by the signed-in layout), so the login page never loads these texts.
registerTexts('notifications', { en, 'zh-CN': zhCN });

/** How many of the latest notifications the bell lists. */
const LATEST = 10;

/** The header's bell: the unread count, and the latest notifications to open or mark read. */
export default function NotificationBell() {
  const { t } = useTranslation('notifications');
  const { permissions } = useAuth();
  const navigate = useNavigate();
  const { dateTime } = useDateFormat();
  const errorText = useErrorText();
  const { count, refresh } = useUnreadCount();
  const [open, setOpen] = useState(false);
  // Asked only while the panel is open (useQuery with skip: useLazyQuery would grow the shared Apollo chunk).
  const latest = useQuery(LatestNotificationsDocument, {
    variables: { first: LATEST },
    skip: !open,
    fetchPolicy: 'network-only',
  });
  const [mark, marking] = useMutation(MarkNotificationsReadDocument);
  const items = latest.data?.notifications.edges.map((e) => e.node) ?? [];
  const may = (area: Parameters<typeof mayUse>[0]) => mayUse(area, permissions);

  const reload = () => {
    refresh();
    if (open) void latest.refetch().catch(() => undefined);
  };
  const markRead = async (input: { ids?: string[]; all?: boolean }) => {
    await mark({ variables: { input } });
    reload();
  };
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    // Opening runs the list query (skip turns off); the count is asked again at the same time.
    if (next) refresh();
  };

  const content = (
    <div className="notification-panel" style={{ width: 360, maxWidth: '90vw' }}>
      {latest.error && <Alert type="error" showIcon title={errorText(latest.error)} />}
      {marking.error && <Alert type="error" showIcon title={errorText(marking.error)} />}
      {latest.loading && !latest.data ? (
        <Spin />
      ) : (
        <List
          size="small"
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bell.empty')} /> }}
          renderItem={(n) => {
            const to = linkOf(n, may);
            const text = t(`kind.${n.kind}`, { count: n.count ?? 0 });
            return (
              <List.Item
                actions={[
                  ...(to
                    ? [
                        <Button
                          key="open"
                          type="link"
                          size="small"
                          aria-label={`${t('bell.open')}: ${text}`}
                          onClick={() => {
                            setOpen(false);
                            if (!n.readAt) void markRead({ ids: [n.id] });
                            void navigate(to);
                          }}
                        >
                          {t('bell.open')}
                        </Button>,
                      ]
                    : []),
                  ...(!n.readAt
                    ? [
                        <Button
                          key="read"
                          type="link"
                          size="small"
                          aria-label={`${t('bell.markRead')}: ${text}`}
                          onClick={() => void markRead({ ids: [n.id] })}
                        >
                          {t('bell.markRead')}
                        </Button>,
                      ]
                    : []),
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space size={4}>
                      {!n.readAt && <Badge status="error" aria-label={t('bell.unread')} />}
                      <Typography.Text strong={!n.readAt}>{text}</Typography.Text>
                    </Space>
                  }
                  description={dateTime(n.createdAt)}
                />
              </List.Item>
            );
          }}
        />
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={onOpenChange}
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <span>{t('bell.title')}</span>
          <Button size="small" disabled={!count} loading={marking.loading} onClick={() => void markRead({ all: true })}>
            {t('bell.markAll')}
          </Button>
        </Space>
      }
      content={content}
    >
      <Badge count={count} size="small" overflowCount={99}>
        <Button
          type="text"
          shape="circle"
          icon={<BellOutlined />}
          aria-label={count ? t('bell.labelUnread', { count }) : t('bell.label')}
        />
      </Badge>
    </Popover>
  );
}
