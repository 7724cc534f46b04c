import './moments-texts';
import { useQuery } from '@apollo/client/react';
import { Breadcrumb, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorResult } from '../../core/errors/error-result';
import { MomentDetailDocument } from './moments.generated';
import { MomentComposer } from './moment-composer';

/** /moments/new and /moments/:id/edit (only DRAFT or SCHEDULED moments can be edited). */
export default function MomentComposerPage() {
  const { t } = useTranslation('moments');
  const { id } = useParams();
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(MomentDetailDocument, { variables: { id: id ?? '' }, skip: !id });
  const onSaved = (saved: string) => void navigate(`/moments/${saved}`);
  const title = id ? t('composer.editTitle') : t('composer.newTitle');
  const crumbs = (
    <Breadcrumb
      style={{ marginBottom: 12 }}
      items={[{ title: <Link to="/moments">{t('calendar.title')}</Link> }, { title }]}
    />
  );
  if (!id) {
    return (
      <>
        {crumbs}
        <h1 style={{ fontSize: 20, margin: '0 0 16px' }}>{title}</h1>
        <MomentComposer onSaved={onSaved} />
      </>
    );
  }
  if (error && !data) return <ErrorResult error={error} badIdIsNotFound onRetry={() => void refetch()} />;
  if (loading || !data) return <Skeleton active />;
  const m = data.moment;
  if (m.status !== 'DRAFT' && m.status !== 'SCHEDULED') {
    return <Result status="warning" title={t('composer.closed', { status: t(`status.${m.status}`) })} />;
  }
  return (
    <>
      {crumbs}
      <h1 style={{ fontSize: 20, margin: '0 0 16px' }}>{title}</h1>
      <MomentComposer
        key={m.id}
        onSaved={onSaved}
        initial={{
          id: m.id,
          status: m.status,
          text: m.text,
          attachments: m.attachments,
          scheduledAt: m.scheduledAt,
          audience: {
            employeeIds: m.audience.employees.map((e) => e.id),
            departmentIds: m.audience.departments.map((d) => d.id),
            customerTagIds: m.audience.customerTags.map((x) => x.id),
          },
        }}
      />
    </>
  );
}
