import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiError } from '../../core/errors/api-error';
import { useErrorText } from '../../core/errors/error-result';
import {
  AudienceOptionsDocument,
  CreateMomentDocument,
  MomentReachDocument,
  PublishMomentNowDocument,
  ScheduleMomentDocument,
  UpdateMomentDocument,
  type MomentAudienceInput,
} from './moments.generated';
import {
  attachmentsOf,
  charCount,
  composerProblems,
  hasProblems,
  MAX_IMAGES,
  MAX_LINK_TITLE,
  MAX_TEXT,
  slotOfServerField,
  type AttachmentKind,
  type ComposerDraft,
  type Problem,
  type ServerFieldSlot,
} from './composer-rules';

export interface ComposerInitial {
  id: string;
  status: string;
  text: string;
  attachments: Array<{ type: string; url: string; title?: string | null }>;
  scheduledAt?: string | null;
  audience: { employeeIds: string[]; departmentIds: string[]; customerTagIds: string[] };
}

interface Props {
  /** An open (DRAFT or SCHEDULED) moment to edit; a new one otherwise. */
  initial?: ComposerInitial;
  onSaved: (id: string) => void;
}

function draftOf(initial?: ComposerInitial): ComposerDraft {
  const a = initial?.attachments ?? [];
  return {
    text: initial?.text ?? '',
    kind: (a[0]?.type as AttachmentKind | undefined) ?? 'NONE',
    urls: a.length ? a.map((x) => x.url) : [''],
    title: a[0]?.title ?? '',
  };
}

/**
 * Writes a moment: text with its counter, one kind of attachment (up to 9
 * images, or one video, or one link with its title), the audience with its
 * reach, and the time. The rules are checked as you type; what the server
 * still refuses (BAD_USER_INPUT) is shown under the field it names.
 */
export function MomentComposer({ initial, onSaved }: Props) {
  const { t } = useTranslation('moments');
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<ComposerDraft>(() => draftOf(initial));
  const [audience, setAudience] = useState<Required<{ [K in keyof MomentAudienceInput]: string[] }>>({
    employeeIds: initial?.audience.employeeIds ?? [],
    departmentIds: initial?.audience.departmentIds ?? [],
    customerTagIds: initial?.audience.customerTagIds ?? [],
  });
  const [when, setWhen] = useState<Dayjs | null>(initial?.scheduledAt ? dayjs(initial.scheduledAt) : null);
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<ServerFieldSlot, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const options = useQuery(AudienceOptionsDocument);
  const reach = useQuery(MomentReachDocument, { variables: { audience } });
  const [create, creating] = useMutation(CreateMomentDocument);
  const [update, updating] = useMutation(UpdateMomentDocument);
  const [schedule, scheduling] = useMutation(ScheduleMomentDocument);
  const [publishNow, publishing] = useMutation(PublishMomentNowDocument);
  const busy = creating.loading || updating.loading || scheduling.loading || publishing.loading;

  const problems = composerProblems(draft);
  const invalid = hasProblems(problems);
  const say = (p?: Problem) => (p ? t(p.key, p.values) : undefined);
  /** Local problems show once the field is touched (or a save was tried); the server's until the next edit. */
  const show = (slot: ServerFieldSlot, local?: Problem) => {
    const text = (touched || draft.text ? say(local) : undefined) ?? serverErrors[slot];
    return { validateStatus: text ? ('error' as const) : undefined, help: text };
  };

  const edit = (patch: Partial<ComposerDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setServerErrors({});
    setTouched(true);
  };
  const setKind = (kind: AttachmentKind) => edit({ kind, urls: [''], title: '' });
  const setUrl = (i: number, url: string) => edit({ urls: draft.urls.map((u, j) => (j === i ? url : u)) });

  const departmentTree = useMemo(() => {
    const rows = options.data?.departments ?? [];
    type Node = { value: string; title: string; children: Node[] };
    const nodes = new Map<string, Node>(rows.map((d) => [d.id, { value: d.id, title: d.name, children: [] }]));
    const roots: Node[] = [];
    for (const d of rows) {
      const parent = d.parent ? nodes.get(d.parent.id) : undefined;
      (parent ? parent.children : roots).push(nodes.get(d.id)!);
    }
    return roots;
  }, [options.data]);

  const fail = (e: unknown) => {
    const info = apiError(e);
    if (info.code === 'BAD_USER_INPUT' && info.fields.length) {
      const byslot: Partial<Record<ServerFieldSlot, string>> = {};
      for (const f of info.fields) byslot[slotOfServerField(f.field)] ??= f.message;
      setServerErrors(byslot);
      setFailure(t('composer.fixFields'));
    } else if (info.code === 'NOT_FOUND' && info.fields.some((f) => f.field.includes('audience'))) {
      setServerErrors({ audience: info.message });
      setFailure(t('composer.fixFields'));
    } else {
      setFailure(errorText(e));
    }
  };

  /** Saves the text, attachments and audience: a new moment (a DRAFT, or SCHEDULED at `at`) or the edited one. */
  const save = async (at: Dayjs | null): Promise<string | null> => {
    setTouched(true);
    setFailure(null);
    if (invalid) return null;
    const content = { text: draft.text, attachments: attachmentsOf(draft), audience };
    try {
      if (!initial) {
        const r = await create({ variables: { input: { ...content, scheduledAt: at?.toISOString() ?? null } } });
        return r.data!.createMoment.id;
      }
      await update({ variables: { input: { id: initial.id, ...content } } });
      if (at && !(initial.scheduledAt && dayjs(initial.scheduledAt).isSame(at))) {
        await schedule({ variables: { input: { id: initial.id, scheduledAt: at.toISOString() } } });
      }
      return initial.id;
    } catch (e) {
      fail(e);
      return null;
    }
  };

  const onSaveDraft = async () => {
    const id = await save(null);
    if (id) {
      void message.success(t('composer.saved'));
      onSaved(id);
    }
  };
  const onSchedule = async () => {
    setTouched(true);
    if (!when) {
      setServerErrors({ scheduledAt: t('rules.timeRequired') });
      return;
    }
    if (when.isBefore(dayjs())) {
      setServerErrors({ scheduledAt: t('rules.timeInPast') });
      return;
    }
    const id = await save(when);
    if (id) {
      void message.success(t('composer.scheduled'));
      onSaved(id);
    }
  };
  const onPublishNow = () => {
    setTouched(true);
    if (invalid) return;
    modal.confirm({
      title: t('composer.publishNowConfirm'),
      content: t('composer.publishNowDetail', { employees: reach.data?.momentReach.employees ?? 0 }),
      okText: t('actions.publishNow'),
      cancelText: t('actions.back'),
      onOk: async () => {
        const id = await save(null);
        if (!id) return;
        try {
          await publishNow({ variables: { id } });
          void message.success(t('composer.published'));
          onSaved(id);
        } catch (e) {
          fail(e);
        }
      },
    });
  };

  const count = charCount(draft.text);
  const allowSchedule = !initial || initial.status === 'DRAFT' || initial.status === 'SCHEDULED';

  return (
    <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <Card title={<h2 className="card-heading">{t('composer.content')}</h2>}>
            <Form.Item label={t('composer.text')} htmlFor="moment-text" required {...show('text', problems.text)}>
              <Input.TextArea
                id="moment-text"
                value={draft.text}
                onChange={(e) => edit({ text: e.target.value })}
                autoSize={{ minRows: 5, maxRows: 12 }}
                aria-describedby="moment-text-count"
              />
            </Form.Item>
            <Typography.Text
              id="moment-text-count"
              type={count > MAX_TEXT ? 'danger' : 'secondary'}
              style={{ display: 'block', textAlign: 'right', marginTop: -16, marginBottom: 16 }}
            >
              {t('composer.counter', { count, max: MAX_TEXT })}
            </Typography.Text>

            <Form.Item label={t('composer.attachmentKind')} {...show('attachments', problems.attachments)}>
              <Radio.Group
                value={draft.kind}
                onChange={(e) => setKind(e.target.value as AttachmentKind)}
                optionType="button"
                options={(['NONE', 'IMAGE', 'VIDEO', 'LINK'] as const).map((k) => ({
                  value: k,
                  label: t(`kind.${k}`),
                }))}
              />
            </Form.Item>
            {draft.kind !== 'NONE' && (
              <>
                {draft.urls.map((url, i) => (
                  <Form.Item
                    key={i}
                    label={
                      draft.kind === 'IMAGE'
                        ? t('composer.imageUrl', { n: i + 1 })
                        : t(`composer.${draft.kind.toLowerCase()}Url`)
                    }
                    htmlFor={`moment-url-${i}`}
                    required
                    {...show(`url:${i}`, problems.urls[i])}
                  >
                    <Space.Compact style={{ width: '100%' }}>
                      <Input
                        id={`moment-url-${i}`}
                        value={url}
                        placeholder="https://"
                        onChange={(e) => setUrl(i, e.target.value)}
                      />
                      {draft.kind === 'IMAGE' && draft.urls.length > 1 && (
                        <Button
                          aria-label={t('composer.removeImage', { n: i + 1 })}
                          icon={<DeleteOutlined />}
                          onClick={() => edit({ urls: draft.urls.filter((_, j) => j !== i) })}
                        />
                      )}
                    </Space.Compact>
                  </Form.Item>
                ))}
                {draft.kind === 'IMAGE' && (
                  <Form.Item
                    extra={t('composer.imagesLeft', { count: MAX_IMAGES - draft.urls.length, max: MAX_IMAGES })}
                  >
                    <Button
                      icon={<PlusOutlined />}
                      disabled={draft.urls.length >= MAX_IMAGES}
                      onClick={() => edit({ urls: [...draft.urls, ''] })}
                    >
                      {t('composer.addImage')}
                    </Button>
                  </Form.Item>
                )}
                {draft.kind === 'LINK' && (
                  <Form.Item
                    label={t('composer.linkTitle')}
                    htmlFor="moment-link-title"
                    required
                    {...show('title', problems.title)}
                  >
                    <Input
                      id="moment-link-title"
                      value={draft.title}
                      onChange={(e) => edit({ title: e.target.value })}
                      count={{ show: true, max: MAX_LINK_TITLE, strategy: charCount }}
                    />
                  </Form.Item>
                )}
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={<h2 className="card-heading">{t('composer.audience')}</h2>} style={{ marginBottom: 16 }}>
            {options.error && (
              <Alert type="error" showIcon message={errorText(options.error)} style={{ marginBottom: 12 }} />
            )}
            <Form.Item
              label={t('composer.departments')}
              htmlFor="moment-departments"
              extra={t('composer.departmentsHelp')}
              {...show('audience')}
            >
              <TreeSelect
                id="moment-departments"
                multiple
                treeDefaultExpandAll
                loading={options.loading}
                treeData={departmentTree}
                value={audience.departmentIds}
                onChange={(v: string[]) => setAudience((a) => ({ ...a, departmentIds: v }))}
                placeholder={t('composer.everyone')}
                treeNodeFilterProp="title"
                showSearch
              />
            </Form.Item>
            <Form.Item label={t('composer.employees')} htmlFor="moment-employees">
              <Select
                id="moment-employees"
                mode="multiple"
                loading={options.loading}
                value={audience.employeeIds}
                onChange={(v: string[]) => setAudience((a) => ({ ...a, employeeIds: v }))}
                optionFilterProp="label"
                options={(options.data?.employees.edges ?? []).map(({ node: e }) => ({ value: e.id, label: e.name }))}
              />
            </Form.Item>
            <Form.Item label={t('composer.tags')} htmlFor="moment-tags" extra={t('composer.tagsHelp')}>
              <Select
                id="moment-tags"
                mode="multiple"
                loading={options.loading}
                value={audience.customerTagIds}
                onChange={(v: string[]) => setAudience((a) => ({ ...a, customerTagIds: v }))}
                optionFilterProp="label"
                options={(options.data?.tagGroups ?? []).map((g) => ({
                  label: g.name,
                  title: g.name,
                  options: g.tags.map((tag) => ({ value: tag.id, label: tag.name })),
                }))}
              />
            </Form.Item>
            <section aria-label={t('composer.reach')} aria-live="polite">
              <Typography.Text type="secondary">{t('composer.reach')}</Typography.Text>
              {reach.error ? (
                <Alert type="warning" showIcon message={errorText(reach.error)} />
              ) : (
                <Row gutter={16}>
                  <Col span={12}>
                    <Statistic
                      title={t('composer.reachEmployees')}
                      value={reach.data?.momentReach.employees ?? '—'}
                      loading={reach.loading && !reach.data}
                    />
                  </Col>
                  <Col span={12}>
                    <Statistic
                      title={t('composer.reachCustomers')}
                      value={reach.data?.momentReach.customers ?? '—'}
                      loading={reach.loading && !reach.data}
                    />
                  </Col>
                </Row>
              )}
            </section>
          </Card>
          <Card title={<h2 className="card-heading">{t('composer.when')}</h2>}>
            <Form.Item label={t('composer.scheduledAt')} htmlFor="moment-scheduled-at" {...show('scheduledAt')}>
              <DatePicker
                id="moment-scheduled-at"
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                value={when}
                onChange={(v) => {
                  setWhen(v);
                  setServerErrors({});
                }}
                disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
                style={{ width: '100%' }}
                disabled={!allowSchedule}
              />
            </Form.Item>
            {failure && <Alert type="error" showIcon role="alert" message={failure} style={{ marginBottom: 12 }} />}
            <Space wrap>
              <Button type="primary" onClick={() => void onSchedule()} loading={busy} disabled={touched && invalid}>
                {initial?.status === 'SCHEDULED' ? t('actions.reschedule') : t('actions.schedule')}
              </Button>
              {(!initial || initial.status === 'DRAFT') && (
                <Button onClick={() => void onSaveDraft()} loading={busy} disabled={touched && invalid}>
                  {t('actions.saveDraft')}
                </Button>
              )}
              {initial?.status === 'SCHEDULED' && (
                <Button onClick={() => void onSaveDraft()} loading={busy} disabled={touched && invalid}>
                  {t('actions.saveChanges')}
                </Button>
              )}
              <Button danger onClick={onPublishNow} loading={busy} disabled={touched && invalid}>
                {t('actions.publishNow')}
              </Button>
            </Space>
          </Card>
        </Col>
      </Row>
    </Form>
  );
}
