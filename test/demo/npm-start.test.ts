// `npm start` is the product's first impression: the built CLI's `demo` runs the whole story on
// its own simulators, in the order the README promises, and prints no secret — tested with
// canary values for every secret it would otherwise generate.

import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startCli } from '../support/cli-process.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CANARIES: Record<string, string> = {
  DEV_TICKET_API_TOKEN: 'canary-dev-ticket-4b1e9a0c77',
  STAGING_TICKET_API_TOKEN: 'canary-staging-ticket-5c2f0b1d88',
  PROD_TICKET_API_TOKEN: 'canary-prod-ticket-6d3a1c2e99',
  STAGING_CRM_API_KEY: 'canary-staging-crm-7e4b2d3f00',
  PROD_CRM_API_KEY: 'canary-prod-crm-8f5c3e4a11',
};

describe('npm start (dify-gitops demo)', () => {
  let result: { code: number | null; stdout: string; stderr: string };
  beforeAll(async () => {
    ensureBuilt();
    const env = { ...process.env, ...CANARIES, GITHUB_TOKEN: '', GITHUB_ACTIONS: '' };
    result = await startCli(['demo'], { cwd: tmpdir(), env }).done;
  });

  it('exits 0 and tells the story in the promised order', () => {
    expect(result.code, result.stderr).toBe(0);
    const chapters = [...result.stdout.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]!);
    const order = ['Validate', 'Plan dev', 'Apply dev', 'stopped at the draft gate', 'rolled back', 'Drift', 'Rotate', 'Broadcast', 'Where to go next'];
    const positions = order.map((word) => chapters.findIndex((title) => title.includes(word)));
    expect(positions.every((p) => p >= 0), chapters.join('\n')).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(result.stdout).toMatch(/Finished in \d+\.\d s\./);
  });

  it('shows each outcome, not only headings: draft gate, rollback, drift kinds, zero failed calls, broadcast totals', () => {
    expect(result.stdout).toContain('ROLLED BACK AT THE DRAFT GATE');
    expect(result.stdout).toMatch(/draft-only-drift\s+support-assistant/);
    expect(result.stdout).toMatch(/drift\s+ticket-triage/);
    expect(result.stdout).toMatch(/with 2 different keys: 0 failed/);
    expect(result.stdout).toMatch(/3 passed, 0 failed/);
  });

  it('prints no secret: the canaries appear nowhere, and the secrets it reads print as ***', async () => {
    const comment = await readFile(path.join(tmpdir(), 'dify-gitops-demo-pr-comment.md'), 'utf8');
    for (const value of Object.values(CANARIES)) {
      expect(result.stdout).not.toContain(value);
      expect(result.stderr).not.toContain(value);
      expect(comment).not.toContain(value);
    }
    expect(result.stdout).not.toContain('generated into');
  });

  it('never changes the checkout it runs from', async () => {
    const config = await readFile(path.join(repoRoot, 'workflows/ticket-triage/ticket-triage.dsl.yml'), 'utf8');
    expect(config).not.toContain('sky-high');
  });
});
