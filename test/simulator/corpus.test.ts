// Every DSL file of the shared corpus through the 1.14.1 simulator: the import status Dify would
// give it (derived here from the file's `version` line and the contract's rule, independently of
// the simulator's code), and a byte-stable export → import → export round trip.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn } from '../support/simulator-console.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = resolve(repoRoot, '../shared/corpus/dsl');
const files = readdirSync(corpus).filter((f) => f.endsWith('.yml')).sort();
const broken = readdirSync(resolve(corpus, 'broken')).filter((f) => f.endsWith('.yml')).sort();

/** The contract's ≥1.3.1 rule against CURRENT_DSL_VERSION 0.6.0, read from the raw `version:` line. */
function expectedStatus(text: string): string {
  const line = /^version:[ \t]*(.*?)[ \t]*$/m.exec(text)?.[1];
  if (line === undefined || line === '' || line === "''" || line === '""') return 'completed-with-warnings'; // → 0.1.0
  const quoted = /^(['"])(.*)\1$/.exec(line);
  const value = quoted ? quoted[2]! : line;
  if (!quoted && /^[-+]?\d+(\.\d*)?$/.test(value) && value.split('.').length <= 2) return 'failed'; // int or float
  const [major = 0, minor = 0, micro = 0] = value.split('.').map(Number);
  const cmp = major - 0 || minor - 6 || micro - 0;
  if (cmp > 0 || major < 0) return 'pending';
  return minor < 6 && major === 0 ? 'completed-with-warnings' : 'completed';
}

describe('the shared DSL corpus on profile 1.14.1', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
  });
  afterAll(async () => {
    await sim.close();
  });

  it('has files to test', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(broken.length).toBeGreaterThan(0);
  });

  it.each(files)('%s imports with the status Dify gives it and round-trips byte-stable', async (file) => {
    const text = readFileSync(resolve(corpus, file), 'utf8');
    const imported = await client.importYaml(text);
    const status = expectedStatus(text);
    expect(imported.body.status, imported.body.error).toBe(status);
    if (status !== 'completed' && status !== 'completed-with-warnings') return;
    const first = await client.get(`/console/api/apps/${imported.body.app_id}/export`);
    expect(first.status).toBe(200);
    const again = await client.importYaml(first.body.data);
    expect(again.body.status).toBe('completed');
    expect(again.body.app_id).not.toBe(imported.body.app_id);
    const second = await client.get(`/console/api/apps/${again.body.app_id}/export`);
    expect(second.body.data).toBe(first.body.data);
    // Keep the world small: these apps are not needed any more.
    await client.request('DELETE', `/console/api/apps/${imported.body.app_id}`);
    await client.request('DELETE', `/console/api/apps/${again.body.app_id}`);
  });

  it.each(broken)('broken/%s is refused with 400 failed', async (file) => {
    const text = readFileSync(resolve(corpus, 'broken', file), 'utf8');
    const res = await client.importYaml(text);
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('failed');
    // Most of these are export responses saved as JSON ({"data": "<yaml>"}): PyYAML reads them as a
    // mapping without `app`, so real Dify says "Missing app data" rather than a YAML error.
    if (text.trimStart().startsWith('{"data":')) expect(res.body.error).toBe('Missing app data in YAML content');
    else expect(res.body.error).toMatch(/^Invalid YAML format: /);
  });
});
