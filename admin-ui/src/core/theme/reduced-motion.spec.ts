import { afterEach, describe, expect, it, vi } from 'vitest';
import { prefersReducedMotion, REDUCED_MOTION_QUERY } from './reduced-motion';

describe('prefersReducedMotion', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  it.each([true, false])('answers what the browser says to the reduced-motion query (%s)', (matches) => {
    const matchMedia = vi.fn((query: string) => ({ matches, media: query }) as MediaQueryList);
    window.matchMedia = matchMedia;
    expect(prefersReducedMotion()).toBe(matches);
    expect(matchMedia).toHaveBeenCalledWith(REDUCED_MOTION_QUERY);
  });

  it('is full motion where the browser cannot tell', () => {
    window.matchMedia = undefined as unknown as typeof window.matchMedia;
    expect(prefersReducedMotion()).toBe(false);
  });
});
