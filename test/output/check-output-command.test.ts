// `check-output` through its implementation with a captured CliContext, files in a temp repo and
// stdin from a stream: what is printed where, and the exit code.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutput, type CheckOutputOptions } from '../../src/cli/commands/check-output-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import { capturedCliContext } from '../support/captured-cli-context.js';

const repo = mkdtempSync(join(tmpdir(), 'dg-check-output-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

mkdirSync(join(repo, 'schemas/outputs'), { recursive: true });
writeFileSync(
  join(repo, 'schemas/outputs/ticket.schema.yaml'),
  'type: object\nrequired: [title, priority]\nadditionalProperties: false\nproperties:\n  title: { type: string }\n  priority: { enum: [low, medium, high] }\n',
);
writeFileSync(join(repo, 'schemas/outputs/broken.schema.yaml'), 'type: object\nproperties:\n  a:\n    type: strin\n');
mkdirSync(join(repo, 'elsewhere'));
writeFileSync(join(repo, 'elsewhere/answer.json'), '{"type": "string", "minLength": 2}');
writeFileSync(join(repo, 'fenced.txt'), "Sure!\n```json\n{'title': 'Login fails', 'priority': 'high',}\n```\n");
writeFileSync(join(repo, 'bad.txt'), '{"title": "Login fails", "priority": "urgent"}');
writeFileSync(join(repo, 'prose.txt'), 'I cannot help with that.');

const base: CheckOutputOptions = { schema: 'ticket', schemasDir: 'schemas/outputs', format: 'text' };

async function run(file: string | undefined, options: Partial<CheckOutputOptions>, stdin = '') {
  const ctx = capturedCliContext({ cwd: repo });
  const deps = { stdin: Object.assign(Readable.from([Buffer.from(stdin)]), { isTTY: false }) };
  const code = await runCommand(ctx, () => checkOutput(ctx, file, { ...base, ...options }, deps));
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr() };
}

describe('check-output', () => {
  it('repairs and validates a file: value on stdout, verdict and repairs on stderr, exit 0', async () => {
    const r = await run('fenced.txt', {});
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ title: 'Login fails', priority: 'high' });
    expect(r.stderr).toBe(
      'valid after repair against output schema ticket (schemas/outputs/ticket.schema.yaml)\n' +
        '  - removed ```json code fence\n' +
        '  - replaced single quotes with double quotes\n' +
        '  - removed trailing commas\n',
    );
  });

  it('reads stdin with `-` and with no file', async () => {
    for (const file of ['-', undefined]) {
      const r = await run(file, {}, '{"title": "t", "priority": "low"}');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ title: 't', priority: 'low' });
      expect(r.stderr).toBe('valid against output schema ticket (schemas/outputs/ticket.schema.yaml)\n');
    }
  });

  it('an invalid output with the fail policy: nothing on stdout, reasons on stderr, exit 1', async () => {
    const r = await run('bad.txt', {});
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'invalid against output schema ticket (schemas/outputs/ticket.schema.yaml)\n  - /priority: must be one of low, medium, high\n',
    );
  });

  it('--format json prints the whole result, also when invalid', async () => {
    const r = await run('bad.txt', { format: 'json' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      value: { title: 'Login fails', priority: 'urgent' },
      valid: false,
      repaired: false,
      reasons: ['/priority: must be one of low, medium, high'],
      usedFallback: false,
      schema: { name: 'ticket', path: 'schemas/outputs/ticket.schema.yaml' },
    });
    expect(r.stderr).toBe('');
  });

  it('--fallback null: exit 0, null on stdout, usedFallback reported', async () => {
    const r = await run('prose.txt', { fallback: 'null', format: 'json' });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, value: null, valid: false, usedFallback: true });
    expect(report.reasons).toEqual(['not JSON: no JSON object or array found in the output', 'used the fallback: null']);
  });

  it('--default implies the default policy; exit 0 with the default on stdout', async () => {
    const r = await run('bad.txt', { default: '{"title": "triage", "priority": "low"}' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ title: 'triage', priority: 'low' });
    expect(r.stderr).toContain('invalid against output schema ticket (schemas/outputs/ticket.schema.yaml); used the fallback value\n');
    expect(r.stderr).toContain('  - used the fallback: the default value\n');
  });

  it('refuses a --default that does not satisfy the schema before reading any input', async () => {
    const r = await run('bad.txt', { fallback: 'default', default: '{"title": "triage"}' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('dify-gitops: --default does not satisfy the output schema `ticket`: /priority: is required\n');
  });

  it.each([
    [{ fallback: 'default' as const }, 'dify-gitops: --fallback default needs --default <json>\n'],
    // V8's own wording after the colon differs between Node versions.
    [{ default: '{oops' }, /^dify-gitops: --default is not valid JSON: .*position 1/],
    [{ fallback: 'null' as const, default: '1' }, 'dify-gitops: --default is only used with --fallback default (got --fallback null)\n'],
  ])('flag mistakes are usage errors: %j', async (options, message) => {
    const r = await run('bad.txt', options);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });

  it('takes a schema by path, relative to the working directory', async () => {
    const r = await run('-', { schema: 'elsewhere/answer.json' }, '"x"');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('invalid against output schema answer (elsewhere/answer.json)\n  - /: must NOT have fewer than 2 characters\n');
  });

  it('an unknown schema name lists the schemas that exist', async () => {
    const r = await run('bad.txt', { schema: 'tiket' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('dify-gitops: --schema tiket: no tiket.schema.yaml (or .yml, .json) in schemas/outputs; schemas there: broken, ticket\n');
  });

  it('a broken schema prints its diagnostics and exits 1 without reading input', async () => {
    const r = await run('bad.txt', { schema: 'broken' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'schemas/outputs/broken.schema.yaml:4:5: error output-schema-invalid not a valid JSON Schema at /properties/a/type: must be equal to one of the allowed values\n',
    );
  });

  it('a missing input file is a usage error', async () => {
    const r = await run('missing.txt', {});
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('dify-gitops: cannot read missing.txt: ENOENT\n');
  });

  describe('--pointer picks the output out of a Dify response', () => {
    it('a chat blocking response: /answer holds fenced text', async () => {
      const response = { event: 'message', answer: '```json\n{"title": "t", "priority": "medium"}\n```', metadata: {} };
      const r = await run('-', { pointer: '/answer' }, JSON.stringify(response));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ title: 't', priority: 'medium' });
      expect(r.stderr).toContain('  - removed ```json code fence\n');
    });

    it('a workflow blocking response: /data/outputs/result is an object, validated as it is', async () => {
      const response = { task_id: 't', data: { status: 'succeeded', outputs: { result: { title: 't', priority: 'low', extra: 1 } } } };
      const r = await run('-', { pointer: '/data/outputs/result' }, JSON.stringify(response));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('invalid against output schema ticket (schemas/outputs/ticket.schema.yaml)\n  - /extra: is not allowed by the schema\n');
    });

    it('a missing field names the keys that are there', async () => {
      const r = await run('-', { pointer: '/data/outputs/answer' }, JSON.stringify({ data: { outputs: { result: 1 } } }));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('dify-gitops: <stdin>: nothing at /data/outputs/answer (keys at /data/outputs: result)\n');
    });

    it('input that is not JSON', async () => {
      const r = await run('prose.txt', { pointer: '/answer' });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^dify-gitops: prose\.txt: --pointer needs a JSON document as input: /);
    });
  });
});

describe('check-output flags (commander definition)', () => {
  async function parse(args: string[]) {
    const { Command } = await import('commander');
    const { define } = await import('../../src/cli/commands/check-output.js');
    const program = new Command('dify-gitops').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    define(program);
    const command = program.commands.find((c) => c.name() === 'check-output')!;
    command.exitOverride();
    let seen: { file: unknown; options: unknown } | undefined;
    command.action((file: unknown, options: unknown) => {
      seen = { file, options };
    });
    await program.parseAsync(['node', 'dify-gitops', 'check-output', ...args]);
    return seen;
  }

  it('maps flags to the options the implementation takes', async () => {
    expect(await parse(['--schema', 'ticket', '--pointer', '/answer', '--default', '{"a":1}', '--format', 'json', 'out.txt'])).toEqual({
      file: 'out.txt',
      options: { schema: 'ticket', schemasDir: 'schemas/outputs', pointer: '/answer', default: '{"a":1}', format: 'json' },
    });
    expect(await parse(['--schema', 'x', '--schemas-dir', 'other', '--fallback', 'null'])).toEqual({
      file: undefined,
      options: { schema: 'x', schemasDir: 'other', fallback: 'null', format: 'text' },
    });
  });

  it('rejects an unknown fallback or format and a missing --schema', async () => {
    await expect(parse(['--schema', 'x', '--fallback', 'retry'])).rejects.toThrow(/Allowed choices are fail, null, default/);
    await expect(parse(['--schema', 'x', '--format', 'yaml'])).rejects.toThrow(/Allowed choices are text, json/);
    await expect(parse([])).rejects.toThrow(/required option '--schema <name-or-path>' not specified/);
  });
});
