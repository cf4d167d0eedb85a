import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/server.js';
import { ConsoleClient, OWNER, workflowDsl } from '../support/simulator-console.js';

describe('--state persistence', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-state-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the world with mode 0600 after each mutation and loads it again after a restart', async () => {
    const path = join(dir, 'nested', 'state.json');
    const first = await startSimulator({ ...OWNER, statePath: path });
    const client = new ConsoleClient(first);
    await client.login();
    const env = [{ id: 'p-1', name: 'KEY', value: 'persisted-canary', value_type: 'secret', description: '' }];
    const imported = await client.importYaml(workflowDsl({ name: 'Survivor', env }));
    await client.post(`/console/api/apps/${imported.body.app_id}/workflows/publish`, {});
    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(onDisk.apps.map((a: { name: string }) => a.name)).toEqual(['Survivor']);
    expect(onDisk.workflows).toHaveLength(2);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const refresh = client.cookies.get('refresh_token')!;
    await first.close();

    const second = await startSimulator({ ...OWNER, statePath: path });
    try {
      expect(second.state.workspace.id).toBe(first.state.workspace.id);
      const again = new ConsoleClient(second);
      // The refresh token survives a restart (access tokens do not: the signing key is per process).
      const refreshed = await again.request('POST', '/console/api/refresh-token', { anonymous: true, headers: { Cookie: `refresh_token=${refresh}` } });
      expect(refreshed.status).toBe(200);
      await again.login();
      const list = await again.get('/console/api/apps');
      expect(list.body.data.map((a: { name: string }) => a.name)).toEqual(['Survivor']);
      expect(list.body.data[0].workflow).not.toBeNull();
      const vars = await again.get(`/console/api/apps/${imported.body.app_id}/workflows/draft/environment-variables`);
      expect(vars.body.items[0].value).toBe('persisted-canary');
    } finally {
      await second.close();
    }
  });

  it('honours a changed password on restart and refuses a corrupt state file clearly', async () => {
    const path = join(dir, 'pw.json');
    const first = await startSimulator({ ...OWNER, statePath: path });
    await first.close();
    const second = await startSimulator({ email: OWNER.email, password: 'Changed123', statePath: path });
    try {
      expect((await new ConsoleClient(second).login(OWNER.email, 'Changed123')).status).toBe(200);
      expect(second.state.accounts).toHaveLength(1);
    } finally {
      await second.close();
    }
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'bad.json'), '{not json');
    await expect(startSimulator({ ...OWNER, statePath: join(dir, 'bad.json') })).rejects.toThrow(/bad\.json is not valid JSON/);
  });
});
