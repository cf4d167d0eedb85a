// docs/configuration.md is generated from the JSON Schemas; this keeps the committed file equal
// to the rendering (run with -u to rewrite it after a schema change) and checks its links.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigReference, slug } from '../../src/config/render-config-reference.js';
import { compileToolSchemas, loadToolSchemas } from '../../src/config/tool-schemas.js';
import { validateDocument } from '../../src/config/validate-document.js';
import { REPO_ROOT } from '../support/config-repo.js';

describe('docs/configuration.md', () => {
  const rendered = renderConfigReference(loadToolSchemas());

  it('equals the rendering of the schemas', async () => {
    await expect(rendered).toMatchFileSnapshot(join(REPO_ROOT, 'docs', 'configuration.md'));
  });

  it('links only to headings that exist, and documents every field of both schemas', () => {
    const anchors = new Set([...rendered.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!)));
    const links = [...rendered.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
    for (const field of ['apiVersion', 'environments', 'urlEnv', 'passwordFrom', 'reconcileInterval', 'nodeType', 'toolCredentials', 'keepLive', 'minPasses', 'maxLatencyMs', 'modelConfig']) {
      expect(rendered).toContain(`| \`${field}\` |`);
    }
  });
});

describe('docs/repository-format.md', () => {
  it('shows a root config example that is valid against the schema', () => {
    const text = readFileSync(join(REPO_ROOT, 'docs', 'repository-format.md'), 'utf8');
    const block = /## `dify-gitops.yaml`\n\n```yaml\n([\s\S]*?)```/.exec(text)?.[1];
    expect(block).toBeDefined();
    const result = validateDocument(block!, 'docs-example.yaml', compileToolSchemas(loadToolSchemas()).config);
    expect(result.diagnostics).toEqual([]);
  });
});
