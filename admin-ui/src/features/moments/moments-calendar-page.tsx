import './moments-texts';
import './moments.css';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Col, Empty, List, Row, Segmented, Space, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useErrorText } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { CalendarMomentsDocument, MomentCalendarDocument, type MomentCalendarQuery } from './moments.generated';
import { MomentStatusTag, STATUS_COLOR } from './moment-status-tag';

type View = 'month' | 'week';

/** Weeks start on Monday (ISO; as in China). */
const weekStart = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day');

/** The days the grid shows: whole weeks covering the month, or one week. */
function gridDays(view: View, anchor: Dayjs): Dayjs[] {
  const first = view === 'month' ? weekStart(anchor.startOf('month')) : weekStart(anchor);
  const weeks =
    view === 'month' ? Math.ceil((anchor.startOf('month').diff(first, 'day') + anchor.daysInMonth()) / 7) : 1;
  return Array.from({ length: weeks * 7 }, (_, i) => first.add(i, 'day'));
}

/** The marketer's moments calendar: scheduled, published and canceled moments by day (month or week), drafts beside. */
export default function MomentsCalendarPage() {
  const { t, i18n } = useTranslation('moments');
  const navigate = useNavigate();
  const errorText = useErrorText();
  const { date } = useDateFormat();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'week' ? 'week' : 'month';
  const anchor = params.get('date') && dayjs(params.get('date')).isValid() ? dayjs(params.get('date')) : dayjs();
  const go = (next: { view?: View; date?: Dayjs }) =>
    setParams({ view: next.view ?? view, date: (next.date ?? anchor).format('YYYY-MM-DD') }, { replace: true });

  // Keyed by the day, not the Dayjs object (a new one each render): the grid and its query change only with the day.
  const anchorDay = anchor.format('YYYY-MM-DD');
  const days = useMemo(() => gridDays(view, dayjs(anchorDay)), [view, anchorDay]);
  const from = days[0];
  const to = days[days.length - 1].add(1, 'day');
  // The server's days are the organization's (momentCalendar): one request per grid, whatever the moments.
  const calendar = useQuery(MomentCalendarDocument, {
    variables: { from: from.format('YYYY-MM-DD'), to: to.subtract(1, 'day').format('YYYY-MM-DD') },
    fetchPolicy: 'cache-and-network',
  });
  const { loading, error } = calendar;
  const retry = () => void calendar.refetch().catch(() => undefined);
  const drafts = useQuery(CalendarMomentsDocument, {
    variables: { filter: { status: ['DRAFT'] } },
    fetchPolicy: 'cache-and-network',
  });

  const byDay = useMemo(() => {
    const map = new Map<string, MomentCalendarQuery['momentCalendar'][number]>();
    for (const d of calendar.data?.momentCalendar ?? []) map.set(d.date, d);
    return map;
  }, [calendar.data]);

  const lng = i18n.resolvedLanguage ?? 'en';
  const weekday = new Intl.DateTimeFormat(lng, { weekday: 'short' });
  const heading =
    view === 'month'
      ? new Intl.DateTimeFormat(lng, { year: 'numeric', month: 'long' }).format(anchor.toDate())
      : `${date(from.toISOString())} – ${date(to.subtract(1, 'day').toISOString())}`;
  const step = (n: number) => go({ date: anchor.add(n, view) });
  const time = new Intl.DateTimeFormat(lng, { hour: '2-digit', minute: '2-digit' });

  return (
    <Row gutter={16}>
      <Col xs={24} xl={18}>
        <Card
          title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('calendar.title')}</h1>}
          extra={
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/moments/new')}>
              {t('calendar.new')}
            </Button>
          }
        >
          <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
            <Space>
              <Button aria-label={t('calendar.previous')} icon={<LeftOutlined />} onClick={() => step(-1)} />
              <Button onClick={() => go({ date: dayjs() })}>{t('calendar.today')}</Button>
              <Button aria-label={t('calendar.next')} icon={<RightOutlined />} onClick={() => step(1)} />
              <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }} aria-live="polite">
                {heading}
              </Typography.Title>
              {loading && <Spin size="small" />}
            </Space>
            <Segmented<View>
              aria-label={t('calendar.view')}
              value={view}
              onChange={(v) => go({ view: v })}
              options={[
                { value: 'month', label: t('calendar.month') },
                { value: 'week', label: t('calendar.week') },
              ]}
            />
          </Space>
          {error ? (
            <Alert
              type="error"
              showIcon
              message={errorText(error)}
              action={<Button onClick={retry}>{t('actions.retry')}</Button>}
              style={{ marginBottom: 12 }}
            />
          ) : null}
          <table className="moments-calendar" aria-label={heading}>
            <thead>
              <tr>
                {days.slice(0, 7).map((d) => (
                  <th key={d.day()} scope="col">
                    {weekday.format(d.toDate())}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: days.length / 7 }, (_, w) => (
                <tr key={w}>
                  {days.slice(w * 7, w * 7 + 7).map((d) => {
                    const key = d.format('YYYY-MM-DD');
                    const list = byDay.get(key)?.moments ?? [];
                    const more = (byDay.get(key)?.total ?? 0) - list.length;
                    const outside = view === 'month' && d.month() !== anchor.month();
                    const isToday = d.isSame(dayjs(), 'day');
                    return (
                      <td
                        key={key}
                        aria-label={date(d.toISOString())}
                        className={`${outside ? 'outside' : ''} ${isToday ? 'today' : ''} ${view}`}
                      >
                        <div className="day-number">{d.date()}</div>
                        <ul>
                          {list.map((m) => (
                            <li key={m.id} className={`moment-chip status-${m.status.toLowerCase()}`}>
                              <Link to={`/moments/${m.id}`} title={`${t(`status.${m.status}`)} · ${m.text}`}>
                                <span className="dot" style={{ background: dotColor(STATUS_COLOR[m.status]) }} />
                                <span className="time">{time.format(new Date(m.scheduledAt!))}</span> {m.text}
                              </Link>
                            </li>
                          ))}
                          {more > 0 && <li className="moment-more">{t('calendar.more', { count: more })}</li>}
                        </ul>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <Space wrap size={4} style={{ marginTop: 12 }} aria-label={t('calendar.legend')}>
            {(['SCHEDULED', 'PUBLISHED', 'CANCELED', 'FAILED'] as const).map((s) => (
              <MomentStatusTag key={s} status={s} />
            ))}
          </Space>
        </Card>
      </Col>
      <Col xs={24} xl={6}>
        <Card title={<h2 className="card-heading">{t('calendar.drafts')}</h2>}>
          {drafts.error && !drafts.data ? (
            <Alert type="error" showIcon message={errorText(drafts.error)} />
          ) : (
            <List
              loading={drafts.loading && !drafts.data}
              dataSource={drafts.data?.moments.edges.map((e) => e.node) ?? []}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar.noDrafts')} />,
              }}
              renderItem={(m) => (
                <List.Item>
                  <Link to={`/moments/${m.id}`}>
                    <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                      {m.text}
                    </Typography.Text>
                  </Link>
                </List.Item>
              )}
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}

function dotColor(tagColor: string): string {
  return { blue: '#1677ff', green: '#52c41a', red: '#ff4d4f', processing: '#1677ff' }[tagColor] ?? '#bfbfbf';
}
