import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { longerThan } from './storable-text';

/**
 * At most `max` characters, counted as PostgreSQL counts `varchar(n)`: in
 * Unicode code points. class-validator's MaxLength does not count variation
 * selectors (U+FE0F), so "❤️" x 150 passed a 200 limit and then failed the
 * INSERT into varchar(200) as an internal error.
 */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxChars',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !longerThan(value, max),
        defaultMessage: buildMessage((each) => `${each}$property must be at most $constraint1 characters`, options),
      },
    },
    options,
  );
}
