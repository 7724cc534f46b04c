import type { GraphiQLProps } from 'graphiql';
import { OperationTypeNode, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { sessionStore } from '../../core/auth/session-store';

type Fetcher = GraphiQLProps['fetcher'];

function isSubscription(doc: DocumentNode | undefined, operationName: string | null | undefined): boolean {
  const ops = (doc?.definitions ?? []).filter((d) => d.kind === 'OperationDefinition');
  const op = operationName ? ops.find((d) => d.name?.value === operationName) : ops[0];
  return op?.operation === OperationTypeNode.SUBSCRIPTION;
}

/**
 * GraphiQL's fetcher: queries and mutations as POSTs to the console's own /graphql with the session's token (the
 * explorer acts as the signed-in employee, with their permissions); subscriptions over graphql-ws on the same path,
 * connected only when one is run. Nothing leaves the console's origin.
 */
export function createExplorerFetcher(url = '/graphql'): { fetcher: Fetcher; dispose: () => void } {
  let ws: Client | undefined;
  const bearer = () => {
    const token = sessionStore.get();
    return token ? `Bearer ${token}` : undefined;
  };
  const fetcher: Fetcher = async (params, opts) => {
    if (isSubscription(opts?.documentAST, params.operationName)) {
      ws ??= createClient({
        url: new URL(url, window.location.href).href.replace(/^http/, 'ws'),
        lazy: true,
        connectionParams: () => ({ authorization: bearer() }),
      });
      return ws.iterate({ query: params.query, operationName: params.operationName, variables: params.variables });
    }
    const authorization = bearer();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(authorization ? { authorization } : {}),
        ...(opts?.headers as Record<string, string> | undefined),
      },
      body: JSON.stringify(params),
    });
    return res.json();
  };
  return { fetcher, dispose: () => void ws?.dispose() };
}
