// Hostile files anywhere in the repository (config, manifest, output schema, DSL) end in a clear
// diagnostic that names the file, never a crash, a hang or an exhausted heap. (No timing
// assertions: the caps are structural — size before reading, alias count, nesting depth.)

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/config/index.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { makeRepo } from '../support/config-repo.js';

const ALIAS_BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n');
const DEEP_FLOW = `x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
const DEEP_BLOCK = Array.from({ length: 250 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' end\n';

const FILES = {
  config: 'dify-gitops.yaml',
  manifest: 'workflows/triage/app.yaml',
  schema: 'schemas/outputs/triage.schema.yaml',
  dsl: 'workflows/triage/triage.dsl.yml',
} as const;

describe('hostile input', () => {
  for (const [kind, file] of Object.entries(FILES)) {
    it(`a ${kind} that is an alias bomb`, async () => {
      const repo = await loadRepository({ cwd: makeRepo({ [file]: ALIAS_BOMB }), env: {} });
      const found = repo.diagnostics.find((d) => d.file === file && d.severity === 'error');
      expect(found, repo.diagnostics.map(formatDiagnostic).join('\n')).toBeDefined();
      expect(found?.code).toMatch(/alias/);
      expect(formatDiagnostic(found!)).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:1:1: error \\S*alias\\S* .*alias`));
      expect(repo.valid).toBe(false);
    });

    it(`a ${kind} nested too deeply (flow and block)`, async () => {
      for (const text of [DEEP_FLOW, DEEP_BLOCK]) {
        const repo = await loadRepository({ cwd: makeRepo({ [file]: text }), env: {} });
        const found = repo.diagnostics.find((d) => d.file === file && d.severity === 'error');
        expect(found?.code, repo.diagnostics.map(formatDiagnostic).join('\n')).toMatch(/too-deep|deep|nesting/i);
        expect(found?.line).toBeGreaterThan(0);
        expect(found?.message).toMatch(/nesting|deep/);
      }
    });
  }

  it('a 50 MB config or manifest is refused by size before it is read', async () => {
    const root = makeRepo();
    const big = `# ${'x'.repeat(1024)}\n`.repeat(50 * 1024);
    writeFileSync(join(root, FILES.config), big);
    let repo = await loadRepository({ cwd: root, env: {} });
    expect(repo.diagnostics.map(formatDiagnostic)).toContain(`dify-gitops.yaml:1:1: error yaml-too-large file is ${Buffer.byteLength(big)} bytes; the limit is 1048576 bytes`);

    const root2 = makeRepo();
    writeFileSync(join(root2, FILES.manifest), big);
    repo = await loadRepository({ cwd: root2, env: {} });
    expect(repo.diagnostics.find((d) => d.file === FILES.manifest)?.code).toBe('yaml-too-large');
  });

  it('a 50 MB DSL is refused with its file name', async () => {
    const root = makeRepo();
    writeFileSync(join(root, FILES.dsl), `# ${'y'.repeat(1024)}\n`.repeat(50 * 1024));
    const repo = await loadRepository({ cwd: root, env: {} });
    expect(repo.diagnostics.find((d) => d.file === FILES.dsl)).toMatchObject({ code: 'yaml-too-large', severity: 'error' });
  });

  it('a config that is not a mapping, an empty one, and binary garbage', async () => {
    for (const [text, code] of [['- a\n- b\n', 'schema-type'], ['', 'yaml-empty'], ['\u0000\u0001\u0002: [', 'yaml-syntax']] as const) {
      const repo = await loadRepository({ cwd: makeRepo({ [FILES.config]: text }), env: {} });
      const found = repo.diagnostics.find((d) => d.file === FILES.config);
      expect(found?.code, text).toBe(code);
    }
  });

  it('a manifest glob cannot climb out of the repository', async () => {
    const repo = await loadRepository({ cwd: makeRepo({ [FILES.config]: 'apiVersion: dify-gitops.dev/v1\nkind: Config\nenvironments:\n  dev:\n    url: http://x\n    auth: { emailEnv: E, passwordEnv: P }\napps:\n  manifests: ../**/app.yaml\n' }), env: {} });
    expect(repo.diagnostics.map(formatDiagnostic)).toContain('dify-gitops.yaml:8:14: error path-outside-repo apps.manifests: `../**/app.yaml` points outside the repository');
  });
});
