import type { FormInstance } from 'antd';
import { apiError } from '../../core/errors/api-error';

/**
 * Puts the server's field problems (BAD_USER_INPUT / CONFLICT with `input.x`)
 * under the form's fields, so a rule only the server knows (the password
 * policy, a taken name) reads beside its field. Returns whether any field was
 * marked; the caller shows a general message otherwise.
 */
export function markFieldErrors(form: FormInstance, error: unknown): boolean {
  const info = apiError(error);
  const problems = info.fields.length
    ? info.fields
    : fieldOfMessage(info.message)
      ? [{ field: fieldOfMessage(info.message)!, message: info.message.replace(/^input\.\w+:\s*/, '') }]
      : [];
  const known = new Set(Object.keys(form.getFieldsValue(true) as object));
  const marks = problems
    .map((p) => ({ name: p.field.replace(/^input\.(role\.)?/, ''), errors: [p.message] }))
    .filter((m) => known.has(m.name));
  if (marks.length) form.setFields(marks);
  return marks.length > 0;
}

function fieldOfMessage(message: string): string | undefined {
  return /^(input\.\w+):/.exec(message)?.[1];
}
