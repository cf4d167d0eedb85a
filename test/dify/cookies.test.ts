import { describe, expect, it } from 'vitest';
import { createCookieJar } from '../../src/dify/cookies.js';

describe('createCookieJar', () => {
  it('stores Dify login cookies and matches names by suffix (__Host- prefix)', () => {
    const jar = createCookieJar(() => 1_000_000);
    jar.store([
      '__Host-access_token=eyJ.access; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax',
      '__Host-refresh_token=opaque-refresh; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax',
      '__Host-csrf_token=eyJ.csrf; Path=/; Max-Age=3600; Secure; SameSite=Lax',
    ]);
    expect(jar.get('access_token')).toBe('eyJ.access');
    expect(jar.get('refresh_token')).toBe('opaque-refresh');
    expect(jar.get('csrf_token')).toBe('eyJ.csrf');
    expect(jar.header()).toBe('__Host-access_token=eyJ.access; __Host-refresh_token=opaque-refresh; __Host-csrf_token=eyJ.csrf');
  });

  it('does not match a name that merely ends with the base name', () => {
    const jar = createCookieJar();
    jar.store('xaccess_token=nope; Path=/');
    expect(jar.get('access_token')).toBeUndefined();
    jar.store('__Secure-access_token=yes; Path=/');
    expect(jar.get('access_token')).toBe('yes');
  });

  it('replaces a cookie on rotation and drops it on Max-Age=0', () => {
    const jar = createCookieJar(() => 0);
    jar.store('refresh_token=old; Max-Age=100');
    jar.store('refresh_token=new; Max-Age=100');
    expect(jar.get('refresh_token')).toBe('new');
    jar.store('refresh_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/');
    expect(jar.get('refresh_token')).toBeUndefined();
    expect(jar.header()).toBeUndefined();
  });

  it('expires cookies by the injected clock, and Max-Age wins over Expires', () => {
    let now = 10_000;
    const jar = createCookieJar(() => now);
    jar.store('access_token=a; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:01 GMT');
    jar.store('session=s');
    expect(jar.expiresAt('access_token')).toBe(70_000);
    now = 69_999;
    expect(jar.get('access_token')).toBe('a');
    now = 70_000;
    expect(jar.get('access_token')).toBeUndefined();
    expect(jar.header()).toBe('session=s');
  });

  it('unquotes values for get() but echoes them unchanged in the header', () => {
    const jar = createCookieJar();
    jar.store('csrf_token="abc"; Path=/');
    expect(jar.get('csrf_token')).toBe('abc');
    expect(jar.header()).toBe('csrf_token="abc"');
  });

  it('ignores undefined and unparsable headers, and clear() empties the jar', () => {
    const jar = createCookieJar();
    expect(jar.store(undefined)).toEqual([]);
    expect(jar.store('garbage-without-equals')).toEqual([]);
    jar.store('a=1');
    jar.clear();
    expect(jar.header()).toBeUndefined();
  });
});
