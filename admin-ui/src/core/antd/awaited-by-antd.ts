/**
 * Ant Design's Popconfirm awaits a promise its `onConfirm` returns: the OK button shows loading and the popup
 * closes when the promise settles. Its type says `void`, which the no-misused-promises lint reads as "the promise
 * is dropped"; this marks a handler whose promise antd does await (it is passed on, not dropped). The handler
 * still catches its own errors: antd shows none.
 */
export function awaitedByAntd<A extends unknown[]>(handler: (...args: A) => Promise<unknown>): (...args: A) => void {
  return handler as (...args: A) => void;
}

/**
 * An async handler for a prop typed `void` that nobody awaits (a Form's `onFinish`): its promise is dropped on
 * purpose, so the handler must catch its own errors (each one here shows them under the fields or as a message).
 */
export function handled<A extends unknown[]>(handler: (...args: A) => Promise<unknown>): (...args: A) => void {
  return (...args) => void handler(...args);
}
