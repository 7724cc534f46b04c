import type { ApolloServerPlugin } from '@apollo/server';

/**
 * What a browser opening /graphql sees: a plain page that points to the console's API explorer (GraphiQL bundled
 * in the console, signed in, working offline) instead of Apollo's sandbox, which loads its code from a CDN and
 * shows nothing without internet. Nothing on the page is fetched from anywhere.
 */
export function landingPagePlugin(explorerPath = '/api-explorer'): ApolloServerPlugin {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WeCRM GraphQL API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f1f1f}
code{background:#f5f5f5;padding:0 .25rem;border-radius:4px}</style></head>
<body><h1>WeCRM GraphQL API</h1>
<p>This is the endpoint: send <code>POST /graphql</code> with <code>Authorization: Bearer &lt;token or API key&gt;</code>.</p>
<p>To explore the schema and try operations, open the <a href="${explorerPath}">API explorer</a> in the console
(sign in as an admin).</p>
<p lang="zh-CN">要浏览接口文档并试运行操作，请在控制台中打开 <a href="${explorerPath}">API 调试台</a>（以管理员身份登录）。</p>
</body></html>`;
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
