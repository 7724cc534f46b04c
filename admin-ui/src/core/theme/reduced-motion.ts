/** The media query of a user (or an operating system setting) who asked for less motion on screen. */
export const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)';

/**
 * Whether the browser asks for reduced motion. The console then turns Ant Design's motion off: dialogs, popovers,
 * messages and a button's spinner appear and go at once instead of zooming, sliding or fading.
 *
 * Read once, when the console loads (a change shows after a reload): switching antd's motion on a running console
 * remounts the whole page below its ConfigProvider, which would lose what a user was typing.
 */
export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(REDUCED_MOTION_QUERY).matches
    : false;
}
