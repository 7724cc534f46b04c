import DataLoader from 'dataloader';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { ApiKeysService } from 'src/modules/auth/api-keys.service';
import { ConversationRow } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { ChatReadService } from 'src/modules/chat-audit/services/chat-read.service';

/** Request-scoped batch loaders: a page of messages or conversations costs a fixed number of statements. */
export function conversationLoader(ctx: GqlContext, orgId: string, svc: ChatReadService) {
  return loader(ctx, `chatConversation:${orgId}`, () =>
    new DataLoader<string, ConversationRow | null>(async (ids) => {
      const rows = await svc.conversationsByIds(orgId, ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}

export function consentLoader(ctx: GqlContext, orgId: string, svc: ChatReadService) {
  return loader(ctx, `chatConsent:${orgId}`, () =>
    new DataLoader<ConversationRow, string, string>(
      async (conversations) => {
        const map = await svc.consentNow(orgId, conversations);
        return conversations.map((c) => map.get(c.id) ?? 'UNKNOWN');
      },
      { cacheKeyFn: (c) => c.id },
    ),
  );
}

export function apiKeyLoader(ctx: GqlContext, orgId: string, svc: ApiKeysService) {
  return loader(ctx, `chatApiKey:${orgId}`, () =>
    new DataLoader<string, Awaited<ReturnType<ApiKeysService['list']>>[number] | null>(async (ids) => {
      const map = new Map((await svc.list(orgId)).map((k) => [k.id, k]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}
