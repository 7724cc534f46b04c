import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';
import { ISO_DATE_RE, isIsoDate } from 'src/core/validation/calendar';

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE_RE.test(value)) {
    throw new GraphQLError('Date must be a string YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (!isIsoDate(value)) {
    throw new GraphQLError(`Date ${value} does not exist`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

/** ISO 8601 / RFC 3339: a day, optionally with a time and an offset (Z or +08:00). */
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

const DATE_TIME_FORMAT = 'DateTime must be an ISO 8601 string such as 2025-03-01T09:30:00Z';

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !DATE_TIME_RE.test(value)) {
    throw new GraphQLError(DATE_TIME_FORMAT, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const d = new Date(value);
  // Years 1-9999 only: JavaScript dates reach years PostgreSQL cannot store (before 4713 BC); year 0 does not exist.
  const year = Number.isNaN(d.getTime()) ? NaN : d.getUTCFullYear();
  if (!(year >= 1 && year <= 9999) || value.startsWith('0000')) {
    const message = `DateTime ${value} does not exist or is outside the years 1-9999`;
    throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return d;
}

/**
 * Replaces @nestjs/graphql's DateTime (`new Date(anything)`), which let
 * numbers and dates PostgreSQL cannot store reach the database.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : null),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(DATE_TIME_FORMAT);
    return parseDateTime(ast.value);
  },
});

/** A calendar day (YYYY-MM-DD) in the organization's time zone; carried as a string. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD, in the organization time zone.',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : parseDate(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables ? variables[ast.name.value] : undefined;
    default:
      return undefined;
  }
}

/** Arbitrary JSON. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
