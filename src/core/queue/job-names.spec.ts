import { bullJobId, callerJobId, isValidJobName, parseJobName, queueNameFor } from './job-names';

describe('job names', () => {
  it('parses <feature>.<verb-noun>', () => {
    expect(parseJobName('moments.publish')).toEqual({ feature: 'moments', action: 'publish' });
    expect(parseJobName('contacts.merge-duplicates')).toEqual({ feature: 'contacts', action: 'merge-duplicates' });
    expect(parseJobName('chat-archive.sweep-due2')).toEqual({ feature: 'chat-archive', action: 'sweep-due2' });
  });

  it.each([
    '',
    'moments',
    'moments.',
    '.publish',
    'Moments.publish',
    'moments.publish.now',
    'moments:publish',
    'moments.-x',
    'moments.x-',
    'moments.x--y',
    '1x.y',
    'a b.c',
  ])('rejects %j', (name) => {
    expect(isValidJobName(name)).toBe(false);
    expect(() => parseJobName(name)).toThrow(/Invalid job name/);
  });

  it('derives one queue per feature, without ":"', () => {
    expect(queueNameFor('wecrm', 'moments.publish')).toBe('wecrm-moments');
    expect(queueNameFor('wecrm', 'moments.sweep-due')).toBe('wecrm-moments');
    expect(queueNameFor('test_1', 'chat-archive.sweep')).toBe('test_1-chat-archive');
    expect(queueNameFor('wecrm', 'moments.publish')).not.toContain(':');
    expect(() => queueNameFor('wecrm', 'nope')).toThrow(/Invalid job name/);
  });
});

describe('job ids', () => {
  it('scopes the caller id by job name and encodes it for BullMQ', () => {
    expect(bullJobId('moments.publish', 'moment:42:3')).toBe('moments.publish@moment%3A42%3A3');
    expect(bullJobId('moments.publish', '42')).toBe('moments.publish@42');
    expect(bullJobId('moments.notify', 'moment:42:3')).not.toBe(bullJobId('moments.publish', 'moment:42:3'));
  });

  it('never produces what BullMQ rejects (integers, ":")', () => {
    for (const id of ['1', '007', 'a:b', 'a:b:c:d', 'x', '中文:1']) {
      const stored = bullJobId('moments.publish', id);
      expect(stored).not.toContain(':');
      expect(`${parseInt(stored, 10)}`).not.toBe(stored);
    }
  });

  it('round-trips', () => {
    for (const id of ['moment:42:3', 'a%3Ab', 'a@b', '中文', ' spaced ']) {
      expect(callerJobId('moments.publish', bullJobId('moments.publish', id))).toBe(id);
    }
    expect(callerJobId('moments.publish', 'repeat:moments.sweep:1700000000000')).toBeUndefined();
    expect(callerJobId('moments.publish', '17')).toBeUndefined();
  });

  it('rejects empty and huge ids', () => {
    expect(() => bullJobId('moments.publish', '')).toThrow(/non-empty/);
    expect(() => bullJobId('moments.publish', 'x'.repeat(401))).toThrow(/400/);
  });
});
