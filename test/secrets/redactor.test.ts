import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/secrets/redactor.js';

describe('Redactor', () => {
  it('masks every registered secret and its common encodings, longest first', () => {
    const r = new Redactor();
    r.add('app-abcdefghijklmnopqrstuvwx');
    r.add('p@ss word/1');
    const text = [
      'Bearer app-abcdefghijklmnopqrstuvwx',
      `password=${encodeURIComponent('p@ss word/1')}`,
      `b64=${Buffer.from('p@ss word/1').toString('base64')}`,
      `json="${JSON.stringify('p@ss word/1').slice(1, -1)}"`,
    ].join(' ');
    const out = r.redact(text);
    expect(out).not.toContain('abcdefghijklmnop');
    expect(out).not.toContain('p@ss');
    expect(out).not.toContain(Buffer.from('p@ss word/1').toString('base64'));
    expect(out).toContain('Bearer ***');
  });

  it('does not treat very short values as substrings to hide', () => {
    const r = new Redactor();
    r.add('ab');
    expect(r.redact('about')).toBe('about');
  });

  it('redacts deeply without mutating the input', () => {
    const r = new Redactor();
    r.add('s3cret-value');
    const input = { a: ['x s3cret-value'], b: { c: 's3cret-value' }, n: 1 };
    expect(r.redactDeep(input)).toEqual({ a: ['x ***'], b: { c: '***' }, n: 1 });
    expect(input.b.c).toBe('s3cret-value');
  });

  it('tells listeners about secrets registered before and after they subscribe', () => {
    const r = new Redactor();
    r.add('first-secret');
    const seen: string[] = [];
    r.onSecret((v) => seen.push(v));
    r.add('second-secret');
    expect(seen).toContain('first-secret');
    expect(seen).toContain('second-secret');
  });
});
