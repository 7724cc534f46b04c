import { AppError } from 'src/core/errors/app-error';

/**
 * Normalizes a phone number to digits with an optional leading +: mainland
 * mobiles (11 digits starting 1[3-9], optionally +86) and international
 * numbers (E.164, 8-15 digits). Anything else is BAD_USER_INPUT naming the field.
 */
export function normalizePhone(raw: string, field: string): string {
  const compact = raw.replace(/[\s\-()]/g, '');
  let m = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(compact);
  if (m) return m[1];
  m = /^\+([1-9]\d{7,14})$/.exec(compact);
  if (m) return `+${m[1]}`;
  m = /^00([1-9]\d{7,14})$/.exec(compact);
  if (m) return `+${m[1]}`;
  if (/^0\d{9,11}$/.test(compact)) return compact; // mainland landline with area code
  throw AppError.badInput(
    field,
    'must be a mainland mobile (13812345678) or an international number (+44 20 7946 0958)',
  );
}

/** `138****5678`: the first three and last four digits stay. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  const prefix = phone.startsWith('+') ? `+${digits.slice(0, 3)}` : digits.slice(0, 3);
  return `${prefix}****${digits.slice(-4)}`;
}
