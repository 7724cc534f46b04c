import type { AttachmentType, MomentAttachmentInput } from './moments.generated';

/** WeCom's rules for a moment (DOMAIN.md), as the server enforces them; the composer checks them as you type. */
export const MAX_TEXT = 2000;
export const MAX_IMAGES = 9;
export const MAX_LINK_TITLE = 64;
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

/** Characters as the server counts them (Unicode code points, like PostgreSQL's varchar). */
export const charCount = (s: string): number => [...s].length;

export type AttachmentKind = 'NONE' | AttachmentType;

/** What the composer holds: one kind of attachment at a time, so kinds cannot mix. */
export interface ComposerDraft {
  text: string;
  kind: AttachmentKind;
  /** IMAGE: up to 9; VIDEO and LINK: exactly one. */
  urls: string[];
  /** LINK only. */
  title: string;
}

/** A problem as a translation key of the moments area and its values. */
export interface Problem {
  key: string;
  values?: Record<string, number | string>;
}

export interface ComposerProblems {
  text?: Problem;
  attachments?: Problem;
  /** By the URL's position. */
  urls: Record<number, Problem>;
  title?: Problem;
}

/** The attachments the draft sends (what the API's MomentAttachmentInput takes). */
export function attachmentsOf(d: ComposerDraft): MomentAttachmentInput[] {
  if (d.kind === 'NONE') return [];
  return d.urls.map((url) => ({
    type: d.kind as AttachmentType,
    url: url.trim(),
    title: d.kind === 'LINK' ? d.title.trim() : null,
  }));
}

/** The rules across and within a list of attachments (what the server checks too). */
export function attachmentListProblems(
  items: readonly MomentAttachmentInput[],
): Pick<ComposerProblems, 'attachments' | 'urls' | 'title'> {
  const out: Pick<ComposerProblems, 'attachments' | 'urls' | 'title'> = { urls: {} };
  if (!items.length) return out;
  const kind = items[0].type;
  if (items.some((a) => a.type !== kind)) out.attachments = { key: 'rules.mixed' };
  else if (kind === 'IMAGE' && items.length > MAX_IMAGES)
    out.attachments = { key: 'rules.tooManyImages', values: { max: MAX_IMAGES } };
  else if (kind !== 'IMAGE' && items.length !== 1) out.attachments = { key: 'rules.exactlyOne' };
  items.forEach((a, i) => {
    if (!a.url.trim()) out.urls[i] = { key: 'rules.urlRequired' };
    else if (!HTTP_URL.test(a.url.trim())) out.urls[i] = { key: 'rules.httpUrl' };
  });
  if (kind === 'LINK') {
    const title = items[0].title?.trim() ?? '';
    if (!title) out.title = { key: 'rules.titleRequired' };
    else if (charCount(title) > MAX_LINK_TITLE)
      out.title = { key: 'rules.titleTooLong', values: { max: MAX_LINK_TITLE } };
  }
  return out;
}

export function composerProblems(d: ComposerDraft): ComposerProblems {
  const out: ComposerProblems = attachmentListProblems(attachmentsOf(d));
  if (!d.text.trim()) out.text = { key: 'rules.textRequired' };
  else if (charCount(d.text) > MAX_TEXT) out.text = { key: 'rules.textTooLong', values: { max: MAX_TEXT } };
  return out;
}

export const hasProblems = (p: ComposerProblems): boolean =>
  !!(p.text || p.attachments || p.title || Object.keys(p.urls).length);

/** Where the composer shows a server field error (`input.attachments[1].url` -> the URL at 1). */
export type ServerFieldSlot = 'text' | 'attachments' | 'title' | 'scheduledAt' | 'audience' | `url:${number}`;

export function slotOfServerField(field: string): ServerFieldSlot {
  const f = field.replace(/^input\./, '');
  if (f.startsWith('text')) return 'text';
  if (f.startsWith('scheduledAt')) return 'scheduledAt';
  if (f.startsWith('audience')) return 'audience';
  const item = /^attachments\[(\d+)\]\.(url|title)/.exec(f);
  if (item?.[2] === 'url') return `url:${Number(item[1])}`;
  if (item?.[2] === 'title') return 'title';
  return 'attachments';
}
