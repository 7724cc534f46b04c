import type { TFunction } from 'i18next';

export interface TimelineEventLike {
  type: string;
  summary: string;
  data?: unknown;
  employee?: { name: string } | null;
}

type Data = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * One timeline event in the console's language, naming what changed (the
 * stages, the fields, the tags) from the event's data; an unknown type keeps
 * the server's English summary.
 */
export function timelineText(
  t: TFunction,
  e: TimelineEventLike,
  lookups: { tagName: (id: string) => string | undefined; noteBody: (id: string) => string | undefined },
): string {
  const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
  const tags = () =>
    list(d.tagIds)
      .map((id) => lookups.tagName(id) ?? '?')
      .join(t('common.listSeparator'));
  switch (e.type) {
    case 'stage.changed':
      return t('timeline.stageChanged', { from: t(`stage.${str(d.from)}`), to: t(`stage.${str(d.to)}`) });
    case 'profile.updated':
      return t('timeline.profileUpdated', {
        fields: list(d.fields)
          .map((f) => t(`customer.field.${f}`, f))
          .join(t('common.listSeparator')),
      });
    case 'tags.added':
      return t('timeline.tagsAdded', { tags: tags() });
    case 'tags.removed':
      return t('timeline.tagsRemoved', { tags: tags() });
    case 'note.added': {
      const body = lookups.noteBody(str(d.noteId)) ?? e.summary.replace(/^[^:]*:\s*/, '');
      return t('timeline.noteAdded', { kind: t(`noteKind.${str(d.kind) || 'NOTE'}`), body });
    }
    case 'task.done':
      return t('timeline.taskDone', { body: lookups.noteBody(str(d.noteId)) ?? e.summary.replace(/^[^:]*:\s*/, '') });
    case 'relation.added':
      return t('timeline.relationAdded', {
        employee: e.employee?.name ?? '',
        way: t(`addWay.${str(d.addWay)}`, str(d.addWay)),
      });
    case 'relation.ended':
      return t(d.endedBy === 'CUSTOMER' ? 'timeline.endedByCustomer' : 'timeline.endedByEmployee');
    case 'channel.attributed':
      return t('timeline.channelAttributed', { channel: str(d.channelName) });
    case 'transfer.requested':
    case 'transfer.completed':
    case 'transfer.refused':
    case 'transfer.canceled':
    case 'transfer.failed':
      return t(`timeline.${e.type.replace('.', '_')}`, { employee: e.employee?.name ?? '' });
    default:
      return e.summary;
  }
}
