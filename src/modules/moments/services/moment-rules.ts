import { FieldProblem } from 'src/core/errors/app-error';
import { MomentAttachmentValue } from 'src/modules/moments/entities/moment.entity';
import { MAX_MOMENT_IMAGES } from 'src/modules/moments/dto/moment.inputs';

export interface AttachmentLike {
  type: string;
  url: string;
  title?: string | null;
}

/**
 * The rules across a moment's attachments (WeCom): up to 9 IMAGEs, or exactly
 * one VIDEO, or exactly one LINK with a title; kinds never mix. Per-item rules
 * (http(s) URL, title length) are class-validator's. Problems name the field,
 * e.g. `input.attachments[1].type`.
 */
export function attachmentProblems(items: readonly AttachmentLike[], field = 'input.attachments'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!items.length) return problems;
  const first = items[0].type;
  const mixed = items.findIndex((a) => a.type !== first);
  if (mixed >= 0) {
    problems.push({
      field: `${field}[${mixed}].type`,
      message: `attachment kinds never mix (${first} then ${items[mixed].type})`,
    });
    return problems;
  }
  if (first === 'IMAGE' && items.length > MAX_MOMENT_IMAGES) {
    problems.push({ field, message: `must hold at most ${MAX_MOMENT_IMAGES} images (got ${items.length})` });
  }
  if ((first === 'VIDEO' || first === 'LINK') && items.length > 1) {
    problems.push({ field: `${field}[1]`, message: `must hold exactly one ${first} (got ${items.length})` });
  }
  if (first === 'LINK' && !items[0].title?.trim()) {
    problems.push({ field: `${field}[0].title`, message: 'a LINK needs a title' });
  }
  return problems;
}

/** The stored form: trimmed title, null when absent. */
export function toStoredAttachments(items: readonly AttachmentLike[]): MomentAttachmentValue[] {
  return items.map((a) => ({
    type: a.type as MomentAttachmentValue['type'],
    url: a.url,
    title: a.title?.trim() ? a.title.trim() : null,
  }));
}
