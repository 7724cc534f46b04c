import { getJobHandlerMetadata, JobHandler, JobProcessor, resolveJobHandlerOptions } from './job-handler.decorator';
import { JobRegistryError, validateRegistry } from './job-registry';

const handler = (name: string, source = `${name}-handler`) => ({ name, source });
const declared = (name: string, source = 'MomentsModule') => ({ name, source });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof JobRegistryError) return err.problems;
    throw err;
  }
  throw new Error('expected a JobRegistryError');
}

describe('validateRegistry', () => {
  it('returns handlers by name when every declared name has exactly one handler', () => {
    const h1 = handler('moments.publish');
    const h2 = handler('moments.sweep-due');
    const map = validateRegistry([declared('moments.publish'), declared('moments.sweep-due')], [h1, h2]);
    expect([...map.keys()].sort()).toEqual(['moments.publish', 'moments.sweep-due']);
    expect(map.get('moments.publish')).toBe(h1);
  });

  it('accepts handlers nobody declared, and a name declared twice', () => {
    const map = validateRegistry([declared('a.b', 'A'), declared('a.b', 'B')], [handler('a.b'), handler('c.d')]);
    expect(map.size).toBe(2);
  });

  it('fails on a declared name without handler', () => {
    const problems = problemsOf(() => validateRegistry([declared('moments.publish')], [handler('moments.sweep-due')]));
    expect(problems).toEqual([
      `job "moments.publish" is declared by MomentsModule but no provider is decorated with @JobHandler('moments.publish')`,
    ]);
  });

  it('fails on two handlers for one name, naming both', () => {
    const problems = problemsOf(() => validateRegistry([], [handler('a.b', 'X in M1'), handler('a.b', 'Y in M2')]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/"a\.b" has 2 handlers \(X in M1, Y in M2\)/);
  });

  it('fails on malformed names and reports every problem at once', () => {
    const problems = problemsOf(() =>
      validateRegistry(
        [declared('Bad'), declared('x.y'), declared('x.y')],
        [handler('no_dot'), handler('a.b'), handler('a.b')],
      ),
    );
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/invalid job name "no_dot"/);
    expect(problems.join('\n')).toMatch(/invalid job name "Bad"/);
    expect(problems.join('\n')).toMatch(/"a\.b" has 2 handlers/);
    expect(problems.join('\n')).toMatch(/"x\.y" is declared/);
  });

  it('error message lists the problems', () => {
    expect(() => validateRegistry([declared('a.b')], [])).toThrow(
      /Job registry is invalid:\n {2}- job "a\.b" is declared/,
    );
  });
});

describe('@JobHandler', () => {
  it('applies defaults', () => {
    expect(resolveJobHandlerOptions('moments.publish')).toEqual({
      name: 'moments.publish',
      feature: 'moments',
      attempts: 5,
      backoffMs: 1000,
      concurrency: 4,
    });
  });

  it('keeps schedules and validates options', () => {
    expect(resolveJobHandlerOptions('a.sweep', { schedule: { everyMs: 60_000 } }).schedule).toEqual({
      everyMs: 60_000,
    });
    expect(
      resolveJobHandlerOptions('a.sweep', { schedule: { pattern: '0 3 * * *', tz: 'Asia/Shanghai' } }).schedule,
    ).toEqual({
      pattern: '0 3 * * *',
      tz: 'Asia/Shanghai',
    });
    expect(() => resolveJobHandlerOptions('a.b', { attempts: 0 })).toThrow(/attempts must be an integer from 1/);
    expect(() => resolveJobHandlerOptions('a.b', { concurrency: 1.5 })).toThrow(/concurrency/);
    expect(() => resolveJobHandlerOptions('a.b', { schedule: { everyMs: 10 } })).toThrow(/schedule/);
    expect(() => resolveJobHandlerOptions('a.b', { schedule: { pattern: ' ' } })).toThrow(/schedule/);
    expect(() => resolveJobHandlerOptions('ab', {})).toThrow(/Invalid job name/);
  });

  it('stores metadata on the class and makes it injectable', () => {
    @JobHandler('moments.publish', { attempts: 8 })
    class PublishMomentJob implements JobProcessor<{ orgId: string; momentId: string }> {
      async handle(): Promise<void> {}
    }
    expect(getJobHandlerMetadata(PublishMomentJob)).toMatchObject({ name: 'moments.publish', attempts: 8 });
    expect(Reflect.getMetadata('__injectable__', PublishMomentJob)).toBe(true);
    expect(getJobHandlerMetadata(class Other {})).toBeUndefined();
  });

  it('throws at decoration time on a bad name', () => {
    expect(() => JobHandler('Moments.Publish')).toThrow(/Invalid job name/);
  });
});
