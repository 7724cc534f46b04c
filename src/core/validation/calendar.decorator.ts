import { IsDate, ValidateBy, ValidationOptions } from 'class-validator';
import { isMonth, MONTH_MESSAGE } from './calendar';

/** A month, YYYY-MM from 2000-01 to 2100-12 (calendar.ts). */
export function IsMonth(options?: ValidationOptions): PropertyDecorator {
  const validator = { validate: isMonth, defaultMessage: () => MONTH_MESSAGE };
  return ValidateBy({ name: 'isMonth', validator }, options);
}

/**
 * A DateTime input. The DateTime scalar (core/graphql/scalars.ts) has parsed and bounded it already; this keeps
 * the class's rule explicit for other callers of the class (a CSV row, a job payload) with one message.
 */
export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return IsDate({ message: 'must be a date-time', ...options });
}
