import { describe, expect, it } from 'vitest';
import { isEditorScratch } from '../../src/runtime/file-watcher.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Redactor } from '../../src/secrets/redactor.js';

describe('createLogger', () => {
  it('writes JSON lines with every registered secret redacted, including secrets registered after the logger was made', () => {
    const redactor = new Redactor();
    const lines: string[] = [];
    const log = createLogger({ redactor, write: (line) => void lines.push(line) });
    const early = 'canary-early-91f2';
    const late = 'canary "late" \\ 77aa';
    redactor.add(early);
    log.info({ token: early, nested: { list: [`Bearer ${early}`] } }, `login with ${early}`);
    redactor.add(late);
    log.error({ err: new Error(`failed: ${late}`) }, 'late secret in an error');
    log.warn(`plain ${Buffer.from(early).toString('base64')}`);
    const text = lines.join('');
    expect(text).not.toContain(early);
    expect(text).not.toContain(JSON.stringify(late).slice(1, -1));
    expect(text).not.toContain(Buffer.from(early).toString('base64'));
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ level: 'info', msg: 'login with ***', token: '***', nested: { list: ['Bearer ***'] } });
    expect(parsed.map((p) => p.level)).toEqual(['info', 'error', 'warn']);
    expect(typeof parsed[0]!.time).toBe('string');
  });
});

describe('isEditorScratch', () => {
  it('ignores swap, backup and temp files, never real inputs', () => {
    for (const scratch of ['a/.app.yaml.swp', 'a/app.yaml~', 'a/4913', 'a/.triage.dsl.yml.tmp-123', 'a/app.yaml.tmp', 'a/.#app.yaml', 'a/#app.yaml#', 'a/x.bak']) expect(isEditorScratch(scratch)).toBe(true);
    for (const real of ['workflows/triage/app.yaml', 'schemas/outputs/triage.schema.yaml', 'dify-gitops.yaml', 'workflows/tmp/app.yaml']) expect(isEditorScratch(real)).toBe(false);
  });
});
