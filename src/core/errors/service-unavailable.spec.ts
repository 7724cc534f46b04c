import { GraphQLError } from 'graphql';
import { unavailableService } from './service-unavailable';
import { describeError, describeUrl } from './start-error';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('unavailableService', () => {
  it('recognizes a database that is down, restarting or unreachable, through the wrappers', () => {
    const refused = withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    expect(unavailableService(refused)).toBe('database');
    expect(unavailableService(new Error('Connection terminated unexpectedly'))).toBe('database');
    expect(unavailableService(new Error('timeout exceeded when trying to connect'))).toBe('database');
    expect(unavailableService(withCode('the database system is starting up', '57P03'))).toBe('database');
    expect(unavailableService(withCode('terminating connection due to administrator command', '57P01'))).toBe(
      'database',
    );
    // TypeORM's QueryFailedError keeps the driver's error; GraphQL's located error keeps the resolver's.
    expect(unavailableService(Object.assign(new Error('query failed'), { driverError: refused }))).toBe('database');
    expect(unavailableService(new GraphQLError('x', { originalError: refused }))).toBe('database');
    expect(unavailableService(new AggregateError([refused, refused], ''))).toBe('database');
  });

  it('leaves every other error alone (a bug stays an internal error)', () => {
    expect(unavailableService(withCode('duplicate key value violates unique constraint', '23505'))).toBeUndefined();
    expect(unavailableService(withCode('canceling statement due to statement timeout', '57014'))).toBeUndefined();
    expect(unavailableService(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeUndefined();
    expect(unavailableService(undefined)).toBeUndefined();
    expect(unavailableService('ECONNREFUSED')).toBeUndefined();
  });
});

describe('describeError', () => {
  it('never says undefined or nothing', () => {
    expect(describeError(undefined)).toBe('an unknown error (nothing was said about it)');
    expect(describeError(new AggregateError([withCode('connect ECONNREFUSED ::1:1', 'ECONNREFUSED')], ''))).toBe(
      'connect ECONNREFUSED ::1:1',
    );
    expect(describeError(withCode('', 'EACCES'))).toBe('EACCES');
    expect(describeError('plain')).toBe('plain');
  });

  it('describeUrl drops the password', () => {
    expect(describeUrl('postgres://app:s3cret@db.internal:5432/crm?sslmode=require')).toBe(
      'postgres://app@db.internal:5432/crm',
    );
    expect(describeUrl('redis://:pw@127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
