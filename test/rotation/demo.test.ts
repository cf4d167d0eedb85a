// The demo chapter function the lead's `npm start` calls: one real rotation with a caller running
// alongside, zero failed calls, nothing secret printed.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnector } from '../../src/apply/connect.js';
import { loadRepository } from '../../src/config/index.js';
import { demoKeyRotation } from '../../src/rotation/index.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { scanForSecrets } from '../support/rotation-scan.js';
import { startRotationWorld, type RotationWorld } from '../support/rotation-world.js';

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('demoKeyRotation', () => {
  it('rotates a key under load with zero failed calls and prints ids only', async () => {
    world = await startRotationWorld({ rotation: {} });
    const redactor = new Redactor();
    const repo = await loadRepository({ cwd: world.repo.dir, env: world.repo.env, redactor });
    const connector = createConnector({ redactor, env: world.repo.env, cwd: world.repo.dir });
    const lines: string[] = [];
    try {
      const result = await demoKeyRotation({
        repo,
        environment: 'prod',
        app: 'gated',
        connect: connector.connect,
        redactor,
        env: world.repo.env,
        stateDir: world.stateDir,
        say: (line) => lines.push(redactor.redact(line)),
        ok: (line) => lines.push(redactor.redact(`✓ ${line}`)),
      });
      expect(result.failures).toBe(0);
      expect(result.keysSeen).toBe(2);
      expect(result.calls).toBeGreaterThan(2);
    } finally {
      await connector.closeAll();
    }
    const keys = await world.client.apiKeys.list(world.appId);
    expect(keys).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/✓ rotated: key .* is current; .* deleted/);
    expect(lines.join('\n')).toMatch(/the caller made \d+ calls with 2 different keys: 0 failed/);
    const sink = join(world.stateDir, 'demo-sinks', 'gated.key');
    expect(await scanForSecrets(world, [keys[0]!.token], { allow: [sink], extra: { demo: lines.join('\n') } })).toEqual([]);
  });
});
