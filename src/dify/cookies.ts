// The console session's cookie jar (Dify ≥1.9.2 keeps access, refresh and CSRF tokens in cookies,
// contract §1.1–1.3). One origin, so Domain and Path are not tracked. Cookie names are matched by
// suffix because a secure deployment prefixes them with `__Host-` (or `__Secure-`).
// Set-Cookie parsing is undici's; expiry uses an injected clock.

import { parseCookie } from 'undici';

interface StoredCookie {
  name: string;
  /** As sent by the server (possibly quoted); echoed back unchanged in the Cookie header. */
  value: string;
  /** Unix ms, or undefined for a session cookie. */
  expiresAtMs: number | undefined;
}

export interface CookieJar {
  /** Stores every Set-Cookie header; expired or Max-Age=0 cookies are removed. Returns the stored cookies. */
  store(setCookie: string | string[] | undefined): ReadonlyArray<{ name: string; value: string }>;
  /** The unexpired value of the cookie whose name is `baseName`, optionally with a `__Host-`/`__Secure-` prefix. */
  get(baseName: string): string | undefined;
  /** When the cookie expires (unix ms); undefined for a session cookie or a missing one. */
  expiresAt(baseName: string): number | undefined;
  /** The `Cookie` request header for every unexpired cookie, or undefined when the jar is empty. */
  header(): string | undefined;
  clear(): void;
}

const PREFIXES = ['', '__Host-', '__Secure-'];

export function createCookieJar(now: () => number = Date.now): CookieJar {
  const cookies = new Map<string, StoredCookie>();

  function live(): StoredCookie[] {
    const at = now();
    for (const [name, cookie] of cookies) {
      if (cookie.expiresAtMs !== undefined && cookie.expiresAtMs <= at) cookies.delete(name);
    }
    return [...cookies.values()];
  }

  function find(baseName: string): StoredCookie | undefined {
    const all = live();
    for (const prefix of PREFIXES) {
      const hit = all.find((cookie) => cookie.name === prefix + baseName);
      if (hit) return hit;
    }
    return undefined;
  }

  return {
    store(setCookie) {
      const stored: Array<{ name: string; value: string }> = [];
      const headers = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
      for (const line of headers) {
        const parsed = parseCookie(line);
        if (!parsed || parsed.name === '') continue;
        const expiresAtMs = expiryOf(parsed.maxAge, parsed.expires, now());
        cookies.set(parsed.name, { name: parsed.name, value: parsed.value, expiresAtMs });
        stored.push({ name: parsed.name, value: unquote(parsed.value) });
      }
      live();
      return stored;
    },
    get(baseName) {
      const cookie = find(baseName);
      return cookie === undefined ? undefined : unquote(cookie.value);
    },
    expiresAt: (baseName) => find(baseName)?.expiresAtMs,
    header() {
      const all = live();
      return all.length === 0 ? undefined : all.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
    },
    clear: () => cookies.clear(),
  };
}

/** Max-Age wins over Expires (RFC 6265 §5.3 step 3). */
function expiryOf(maxAge: number | undefined, expires: Date | number | undefined, nowMs: number): number | undefined {
  if (maxAge !== undefined) return maxAge <= 0 ? nowMs - 1 : nowMs + maxAge * 1000;
  if (expires === undefined) return undefined;
  return typeof expires === 'number' ? expires : expires.getTime();
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
