/**
 * The session token lives in localStorage so a reload keeps the user signed in;
 * listeners hear sign-in and sign-out (also from the API answering UNAUTHENTICATED).
 */
const KEY = 'wecrm.token';
type Listener = (token: string | null) => void;
const listeners = new Set<Listener>();

export const sessionStore = {
  get(): string | null {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(token: string | null): void {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
    for (const l of listeners) l(token);
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
