// Cookie parsing and Set-Cookie rendering for the cookie-era console auth (contract §1.1):
// access_token and refresh_token are HttpOnly, csrf_token is readable by scripts; all Path=/,
// SameSite=Lax. With secure cookies the names carry the `__Host-` prefix and the Secure flag.

export type AuthCookie = 'access_token' | 'refresh_token' | 'csrf_token';

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep the raw value
    }
    if (!(name in cookies)) cookies[name] = value;
  }
  return cookies;
}

export function cookieName(name: AuthCookie, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** Reads an auth cookie under either spelling (plain or `__Host-`), as Dify's own helper does. */
export function readAuthCookie(cookies: Record<string, string>, name: AuthCookie): string | undefined {
  return cookies[`__Host-${name}`] ?? cookies[name];
}

export function renderSetCookie(
  name: AuthCookie,
  value: string,
  maxAgeSeconds: number,
  options: { secure: boolean; httpOnly: boolean },
): string {
  const parts = [`${cookieName(name, options.secure)}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'SameSite=Lax'];
  if (maxAgeSeconds === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
