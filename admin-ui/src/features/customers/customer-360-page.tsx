import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Row,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import type { NoteKind } from './customer.generated';
import { AddCustomerNoteDocument, CompleteCustomerTaskDocument, Customer360Document } from './customer.generated';
import { StageTag } from './stage-tag';
import { timelineText } from './timeline-text';

const NOTE_KINDS: NoteKind[] = ['NOTE', 'CALL', 'VISIT', 'TASK'];

interface NoteForm {
  kind: NoteKind;
  body: string;
  dueAt?: Dayjs;
}

/** Everything about one customer: profile, who follows them, tags, notes and tasks, and what happened when. */
export default function Customer360Page() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { dateTime, date } = useDateFormat();
  const [form] = Form.useForm<NoteForm>();
  const kind = Form.useWatch('kind', form);
  const { data, loading, error, refetch } = useQuery(Customer360Document, { variables: { id } });
  const [addNote, adding] = useMutation(AddCustomerNoteDocument);
  const [completeTask, completing] = useMutation(CompleteCustomerTaskDocument);

  if (loading && !data) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (error && !data) return <ErrorResult error={error} badIdIsNotFound onRetry={() => void refetch()} />;
  if (!data) return null;
  const c = data.customer;
  const notes = c.notes.edges.map((e) => e.node);
  const tagNames = new Map(data.tagGroups.flatMap((g) => g.tags.map((tag) => [tag.id, tag.name] as const)));
  const noteBodies = new Map(notes.map((n) => [n.id, n.body] as const));
  const lookups = { tagName: (x: string) => tagNames.get(x), noteBody: (x: string) => noteBodies.get(x) };

  const submitNote = async (v: NoteForm) => {
    try {
      await addNote({
        variables: {
          input: { customerId: c.id, kind: v.kind, body: v.body.trim(), dueAt: v.dueAt?.toISOString() ?? null },
        },
      });
      form.resetFields();
      void message.success(t('customer360.noteAdded'));
      await refetch();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const done = async (noteId: string) => {
    try {
      await completeTask({ variables: { id: noteId } });
      void message.success(t('customer360.taskCompleted'));
      await refetch();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/customers">← {t('customer360.back')}</Link>
      <Card>
        <Space align="center" wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {c.name}
          </Typography.Title>
          <StageTag stage={c.stage} />
        </Space>
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} style={{ marginTop: 16 }} size="small">
          <Descriptions.Item label={t('customer.field.company')}>{c.company ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customer.field.phone')}>{c.phone ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customer.field.externalId')}>{c.externalId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customer.field.lastContact')}>
            {c.lastContactAt ? dateTime(c.lastContactAt) : t('customers.neverContacted')}
          </Descriptions.Item>
          <Descriptions.Item label={t('customer.field.createdAt')}>{date(c.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('customer.field.tags')}>
            {c.tags.length ? c.tags.map((tag) => <Tag key={tag.id}>{`${tag.group.name} · ${tag.name}`}</Tag>) : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-heading">{t('customer360.notesAndTasks')}</h2>}>
            <Form<NoteForm>
              form={form}
              layout="vertical"
              initialValues={{ kind: 'NOTE' }}
              onFinish={(v) => void submitNote(v)}
              aria-label={t('customer360.addNote')}
            >
              <Space wrap align="start">
                <Form.Item name="kind" label={t('customer360.noteKind')}>
                  <Select
                    style={{ width: 140 }}
                    options={NOTE_KINDS.map((k) => ({ value: k, label: t(`noteKind.${k}`) }))}
                  />
                </Form.Item>
                {kind === 'TASK' && (
                  <Form.Item name="dueAt" label={t('customer360.dueAt')}>
                    <DatePicker showTime />
                  </Form.Item>
                )}
              </Space>
              <Form.Item
                name="body"
                label={t('customer360.noteBody')}
                rules={[{ required: true, whitespace: true, message: t('customer360.noteRequired') }]}
              >
                <Input.TextArea rows={3} maxLength={5000} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={adding.loading}>
                {t('customer360.addNote')}
              </Button>
            </Form>
            <List
              style={{ marginTop: 16 }}
              dataSource={notes}
              locale={{ emptyText: <Empty description={t('customer360.noNotes')} /> }}
              renderItem={(n) => (
                <List.Item
                  actions={
                    n.kind === 'TASK' && !n.doneAt
                      ? [
                          <Button key="done" size="small" loading={completing.loading} onClick={() => void done(n.id)}>
                            {t('customer360.completeTask')}
                          </Button>,
                        ]
                      : undefined
                  }
                >
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <Tag>{t(`noteKind.${n.kind}`)}</Tag>
                        {n.kind === 'TASK' &&
                          (n.doneAt ? (
                            <Tag color="green">{t('customer360.taskDoneAt', { at: dateTime(n.doneAt) })}</Tag>
                          ) : n.dueAt ? (
                            <Tag color="orange">{t('customer360.taskDue', { at: dateTime(n.dueAt) })}</Tag>
                          ) : (
                            <Tag color="orange">{t('customer360.taskOpen')}</Tag>
                          ))}
                        <Typography.Text type="secondary">
                          {n.author.name} · {dateTime(n.createdAt)}
                        </Typography.Text>
                      </Space>
                    }
                    description={<span style={{ whiteSpace: 'pre-wrap', color: 'rgba(0,0,0,0.88)' }}>{n.body}</span>}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Card title={<h2 className="card-heading">{t('customer360.relations')}</h2>}>
              <List
                dataSource={c.relations}
                locale={{ emptyText: <Empty description={t('customer360.noRelations')} /> }}
                renderItem={(r) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <Space wrap>
                          <span>{r.employee.name}</span>
                          <Tag color={r.status === 'ACTIVE' ? 'green' : 'default'}>
                            {t(`relationStatus.${r.status}`)}
                          </Tag>
                        </Space>
                      }
                      description={[
                        r.employee.title,
                        t('customer360.addedVia', { way: t(`addWay.${r.addWay}`), at: date(r.addedAt) }),
                        r.endedAt ? t('customer360.endedAt', { at: date(r.endedAt) }) : null,
                        r.remark ? t('customer360.remark', { remark: r.remark }) : null,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    />
                  </List.Item>
                )}
              />
            </Card>
            <Card title={<h2 className="card-heading">{t('customer360.timeline')}</h2>}>
              {c.timeline.edges.length ? (
                <Timeline
                  items={c.timeline.edges.map(({ node: e }) => ({
                    key: e.id,
                    content: (
                      <>
                        <div>{timelineText(t, e, lookups)}</div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {dateTime(e.occurredAt)}
                          {e.employee ? ` · ${e.employee.name}` : ''}
                        </Typography.Text>
                      </>
                    ),
                  }))}
                />
              ) : (
                <Empty description={t('customer360.noTimeline')} />
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
