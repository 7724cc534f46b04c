import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { Alert, Typography } from 'antd';
import { GraphiQL } from 'graphiql';
import { buildSchema } from 'graphql';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { registerTexts } from '../../core/i18n/register-texts';
// The schema the console was built against (the committed print of the served one): the explorer needs no
// introspection, so it also works where GRAPHQL_INTROSPECTION is off.
import schemaText from '../../../../schema.graphql?raw';
import { createExplorerFetcher } from './explorer-fetcher';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import './api-explorer.css';

registerTexts('apiExplorer', { en, 'zh-CN': zhCN });

const schema = buildSchema(schemaText);

/** GraphiQL, bundled (Monaco's workers and styles included): no CDN, so it works offline. */
export default function ApiExplorerPage() {
  const { t } = useTranslation('apiExplorer');
  const { fetcher, dispose } = useMemo(() => createExplorerFetcher(), []);
  useEffect(() => dispose, [dispose]);
  return (
    <div className="api-explorer">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <Alert type="info" showIcon title={t('intro')} style={{ marginBottom: 12 }} />
      <div className="api-explorer-ide">
        <GraphiQL fetcher={fetcher} schema={schema} defaultQuery={t('defaultQuery')} />
      </div>
    </div>
  );
}
