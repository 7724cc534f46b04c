import { Matches, ValidationOptions } from 'class-validator';

/** The one message for a required text that holds only white space, from the DTOs and the services' own checks. */
export const BLANK_MESSAGE = 'must not be blank';

/** True for a missing text or one of white space only (`' '`, a tab, an ideographic space U+3000). */
export const isBlank = (s: string | null | undefined): boolean => s === null || s === undefined || !/\S/u.test(s);

/** A text with at least one character that is not white space. */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return Matches(/\S/u, { message: BLANK_MESSAGE, ...options });
}
