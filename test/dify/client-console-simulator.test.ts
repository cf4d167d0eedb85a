// The Dify client's console resources driven against the simulator (1.14.1 unless stated):
// apps CRUD, DSL export/import/confirm/check-dependencies, draft sync and its 409, publish and
// the new version id, versions, restore vs. its absence, and faults injected at the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DifyApiError,
  DifyImportFailedError,
  DifyNotFoundError,
  DifyUnavailableError,
  DifyUnsupportedError,
  DraftConflictError,
} from '../../src/dify/errors.js';
import { START_END_GRAPH, startHarness, workflowYaml, type Harness } from '../support/dify-client-harness.js';

describe('console resources on 1.14.1', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ profile: '1.14.1' });
  });
  afterAll(async () => {
    await h.close();
  });

  async function workflowApp(name: string): Promise<string> {
    const app = await h.client.apps.create({ name, mode: 'workflow' });
    await h.client.drafts.sync(app.id, { graph: START_END_GRAPH, features: {}, hash: null });
    return app.id;
  }

  describe('apps', () => {
    it('creates, reads, replaces and deletes an app', async () => {
      const created = await h.client.apps.create({ name: 'crud', mode: 'workflow', description: 'first', icon: '🤖', icon_background: '#FFEAD5' });
      expect(created).toMatchObject({ name: 'crud', mode: 'workflow', enable_site: true, enable_api: true, workflow: null });
      expect(h.sim.state.apps.some((a) => a.id === created.id)).toBe(true);

      const updated = await h.client.apps.update(created.id, {
        name: 'crud-renamed',
        description: 'second',
        icon_type: 'emoji',
        icon: '🚀',
        icon_background: '#000000',
        use_icon_as_answer_icon: false,
        max_active_requests: null,
      });
      expect(updated).toMatchObject({ name: 'crud-renamed', description: 'second', icon: '🚀' });
      expect((await h.client.apps.get(created.id)).name).toBe('crud-renamed');

      await h.client.apps.delete(created.id);
      expect(h.sim.state.apps.some((a) => a.id === created.id)).toBe(false);
      const gone = await h.client.apps.get(created.id).catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(DifyNotFoundError);
      expect(gone).toMatchObject({ code: 'app_not_found', status: 404 });
      // A first-attempt 404 on delete is a real error, not "already deleted".
      await expect(h.client.apps.delete(created.id)).rejects.toBeInstanceOf(DifyNotFoundError);
    });

    it('lists every page (limit 100) with name and mode filters', async () => {
      const names = Array.from({ length: 103 }, (_, i) => `paged-${String(i).padStart(3, '0')}`);
      for (const name of names) await h.client.apps.create({ name, mode: suffixNumber(name) % 2 === 0 ? 'workflow' : 'chat' });
      const listed = await h.client.apps.list({ name: 'paged-' });
      expect(listed.map((a) => a.name).sort()).toEqual(names);
      const pages = h.seen().filter((line) => line.startsWith('GET /console/api/apps 200'));
      expect(pages.length).toBeGreaterThanOrEqual(2);
      const chats = await h.client.apps.list({ name: 'paged-', mode: 'chat' });
      expect(chats).toHaveLength(51);
      expect(chats.every((a) => a.mode === 'chat')).toBe(true);
    });

    it('toggles site and API access', async () => {
      const app = await h.client.apps.create({ name: 'toggles', mode: 'workflow' });
      expect((await h.client.apps.setApiEnabled(app.id, false)).enable_api).toBe(false);
      expect((await h.client.apps.setSiteEnabled(app.id, false)).enable_site).toBe(false);
      expect(h.sim.state.apps.find((a) => a.id === app.id)).toMatchObject({ enable_api: false, enable_site: false });
    });
  });

  describe('DSL', () => {
    it('imports a new app, exports its draft, and overwrites it by app_id', async () => {
      const created = await h.client.dsl.import({ yamlContent: workflowYaml({ name: 'from-git' }) });
      expect(created).toMatchObject({ status: 'completed', app_mode: 'workflow', error: '' });
      const appId = created.app_id!;
      const yaml = await h.client.dsl.export(appId);
      expect(yaml).toContain('name: from-git');
      expect(yaml).toContain('kind: app');

      const overwritten = await h.client.dsl.importOrThrow({ yamlContent: workflowYaml({ name: 'from-git-v2' }), appId });
      expect(overwritten).toMatchObject({ status: 'completed', app_id: appId });
      expect(h.sim.state.apps.find((a) => a.id === appId)?.name).toBe('from-git-v2');
    });

    it('returns a pending import (202) and confirms it once', async () => {
      const pending = await h.client.dsl.import({ yamlContent: workflowYaml({ name: 'from-the-future', version: '0.9.0' }) });
      expect(pending).toMatchObject({ status: 'pending', app_id: null });
      const confirmed = await h.client.dsl.confirmOrThrow(pending.id);
      expect(confirmed.status).toBe('completed');
      expect(h.sim.state.apps.some((a) => a.id === confirmed.app_id && a.name === 'from-the-future')).toBe(true);
      const again = await h.client.dsl.confirm(pending.id);
      expect(again).toMatchObject({ status: 'failed', error: 'Import information expired or does not exist' });
      await expect(h.client.dsl.confirmOrThrow(pending.id)).rejects.toBeInstanceOf(DifyImportFailedError);
    });

    it('gives a failed import as a result, or raises it', async () => {
      const failed = await h.client.dsl.import({ yamlContent: 'app: [unclosed' });
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/^Invalid YAML format/);
      const error = await h.client.dsl.importOrThrow({ yamlContent: 'just a string' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DifyImportFailedError);
      expect(error).toMatchObject({ status: 400, code: 'import_failed' });
      expect((error as DifyImportFailedError).result.status).toBe('failed');
      expect((error as Error).message).toMatch(/^POST \/console\/api\/apps\/imports → 400 import_failed: Invalid YAML format/);
    });

    it('raises a plain 400 error body (no Import body) as DifyApiError', async () => {
      await h.fault({ method: 'POST', path: '^/console/api/apps/imports$', status: 400, body: { code: 'invalid_param', message: 'Invalid import_mode: x', status: 400 } });
      const error = await h.client.dsl.import({ yamlContent: workflowYaml() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DifyApiError);
      expect(error).not.toBeInstanceOf(DifyImportFailedError);
      expect((error as Error).message).toBe('POST /console/api/apps/imports → 400 invalid_param: Invalid import_mode: x');
    });

    it('lists dependencies that are not installed after an import', async () => {
      const dependency = {
        type: 'marketplace',
        value: { marketplace_plugin_unique_identifier: 'langgenius/openai:0.2.6@0123456789abcdef', version: '0.2.6' },
        current_identifier: null,
      };
      const imported = await h.client.dsl.importOrThrow({ yamlContent: workflowYaml({ name: 'needs-plugins', dependencies: [dependency] }) });
      const leaked = await h.client.dsl.checkDependencies(imported.app_id!);
      expect(leaked).toHaveLength(1);
      expect(leaked[0]).toMatchObject({ type: 'marketplace' });
      expect(JSON.stringify(leaked[0]!.value)).toContain('langgenius/openai:0.2.6');
    });
  });

  describe('draft', () => {
    it('is null before the first sync, then synced with the hash check', async () => {
      const app = await h.client.apps.create({ name: 'drafty', mode: 'workflow' });
      expect(await h.client.drafts.get(app.id)).toBeNull();
      const first = await h.client.drafts.sync(app.id, { graph: START_END_GRAPH, features: {}, hash: null });
      const draft = await h.client.drafts.get(app.id);
      expect(draft).toMatchObject({ hash: first.hash, version: 'draft' });
      expect(draft!.graph).toEqual(START_END_GRAPH);

      const moved = structuredClone(START_END_GRAPH);
      moved.nodes[1]!.position.x = 500;
      const second = await h.client.drafts.sync(app.id, { graph: moved, features: {}, hash: first.hash });
      expect(second.hash).not.toBe(first.hash);

      const stale = await h.client.drafts.sync(app.id, { graph: START_END_GRAPH, features: {}, hash: first.hash }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(DraftConflictError);
      expect(stale).toMatchObject({ status: 409, code: 'draft_workflow_not_sync', attempts: 1 });
      expect((await h.client.drafts.get(app.id))!.hash).toBe(second.hash);
    });

    it('reads env vars in plaintext (registering secrets) and replaces them', async () => {
      const appId = await workflowApp('env-vars');
      await h.client.drafts.setEnvironmentVariables(appId, [
        { id: '0e3c8a52-5d1c-4f7e-9a39-4d9d7f0c1a11', name: 'API_KEY', value_type: 'secret', value: 'sk-env-canary-0042', description: '' },
        { id: '0e3c8a52-5d1c-4f7e-9a39-4d9d7f0c1a12', name: 'REGION', value_type: 'string', value: 'eu', description: '' },
      ]);
      const vars = await h.client.drafts.getEnvironmentVariables(appId);
      expect(vars.map((v) => [v.name, v.value])).toEqual([
        ['API_KEY', 'sk-env-canary-0042'],
        ['REGION', 'eu'],
      ]);
      expect(h.redactor.redact('leak sk-env-canary-0042')).toBe('leak ***');
      const masked = await h.client.drafts.get(appId);
      expect(masked!.environment_variables.find((v) => v.name === 'API_KEY')?.value).toBe('*'.repeat(20));
    });
  });

  describe('publish and versions', () => {
    it('publishes and finds the new version id; lists, renames and deletes versions', async () => {
      const appId = await workflowApp('versions');
      const first = await h.client.versions.publishVersion(appId, { marked_name: 'v1' });
      expect(first.workflowId).toBe(h.sim.state.apps.find((a) => a.id === appId)?.workflow_id);
      expect((await h.client.versions.getPublished(appId))?.id).toBe(first.workflowId);
      const second = await h.client.versions.publishVersion(appId, { marked_name: 'v2' });
      expect(second.workflowId).not.toBe(first.workflowId);

      const rows = await h.client.versions.list(appId);
      expect(rows[0]!.version).toBe('draft');
      expect(rows.slice(1).map((r) => r.id)).toEqual([second.workflowId, first.workflowId]);
      expect((await h.client.versions.list(appId, { namedOnly: true })).map((r) => r.marked_name)).toEqual(['v2', 'v1']);

      const renamed = await h.client.versions.update(appId, first.workflowId, { marked_comment: 'the first one' });
      expect(renamed.marked_comment).toBe('the first one');
      const inUse = await h.client.versions.delete(appId, second.workflowId).catch((e: unknown) => e);
      expect(inUse).toMatchObject({ status: 400, code: 'bad_request' });
      await h.client.versions.delete(appId, first.workflowId);
      expect(h.sim.state.workflows.some((w) => w.id === first.workflowId)).toBe(false);
    });

    it('getPublished is null before the first publish', async () => {
      const appId = await workflowApp('never-published');
      expect(await h.client.versions.getPublished(appId)).toBeNull();
      expect(await h.client.apps.publishedWorkflowId(appId)).toBeNull();
    });

    it('restores a published version into the draft', async () => {
      const appId = await workflowApp('restore');
      const published = await h.client.versions.publishVersion(appId);
      const moved = structuredClone(START_END_GRAPH);
      moved.nodes[0]!.position.y = 999;
      const draft = await h.client.drafts.get(appId);
      await h.client.drafts.sync(appId, { graph: moved, features: {}, hash: draft!.hash });
      const restored = await h.client.versions.restore(appId, published.workflowId);
      const after = await h.client.drafts.get(appId);
      expect(after!.hash).toBe(restored.hash);
      expect(after!.graph).toEqual(START_END_GRAPH);
    });
  });

  describe('faults injected at the simulator', () => {
    it('retries a GET through two 500s', async () => {
      const appId = await workflowApp('fault-500');
      h.sleeps.length = 0;
      await h.fault({ method: 'GET', path: `^/console/api/apps/${appId}$`, status: 500, times: 2 });
      await expect(h.client.apps.get(appId)).resolves.toMatchObject({ id: appId });
      expect(h.seen().slice(-3)).toEqual([`GET /console/api/apps/${appId} 500`, `GET /console/api/apps/${appId} 500`, `GET /console/api/apps/${appId} 200`]);
      expect(h.sleeps).toHaveLength(2);
    });

    it('waits Retry-After on a 429', async () => {
      const appId = await workflowApp('fault-429');
      h.sleeps.length = 0;
      await h.fault({ method: 'GET', path: `^/console/api/apps/${appId}/export$`, status: 429, headers: { 'Retry-After': '3' }, body: { message: 'slow down' } });
      await expect(h.client.dsl.export(appId)).resolves.toContain('kind: app');
      expect(h.sleeps).toEqual([3_000]);
    });

    it('retries a GET whose connection was dropped', async () => {
      const appId = await workflowApp('fault-drop');
      await h.fault({ method: 'GET', path: `^/console/api/apps/${appId}/workflows/draft$`, dropConnection: true });
      await expect(h.client.drafts.get(appId)).resolves.toMatchObject({ version: 'draft' });
      expect(h.seen().slice(-2)).toEqual([`GET /console/api/apps/${appId}/workflows/draft 0`, `GET /console/api/apps/${appId}/workflows/draft 200`]);
    });

    it('does not retry publish after a 500 or a dropped connection', async () => {
      const appId = await workflowApp('fault-publish');
      await h.fault({ method: 'POST', path: `^/console/api/apps/${appId}/workflows/publish$`, status: 500 });
      await expect(h.client.versions.publish(appId)).rejects.toBeInstanceOf(DifyUnavailableError);
      await h.fault({ method: 'POST', path: `^/console/api/apps/${appId}/workflows/publish$`, dropConnection: true });
      const dropped = await h.client.versions.publish(appId).catch((e: unknown) => e);
      expect(dropped).toMatchObject({ reason: 'connection', attempts: 1 });
      expect(h.seen().filter((line) => line.includes(`/apps/${appId}/workflows/publish`))).toEqual([
        `POST /console/api/apps/${appId}/workflows/publish 500`,
        `POST /console/api/apps/${appId}/workflows/publish 0`,
      ]);
      expect(h.sim.state.workflows.filter((w) => w.app_id === appId && w.version !== 'draft')).toHaveLength(0);
    });

    it('times out a response slower than the timeout with a clear error', async () => {
      const appId = await workflowApp('fault-slow');
      const impatient = h.newClient({ timeoutMs: 300, retries: 0 });
      await impatient.login();
      await h.fault({ method: 'GET', path: `^/console/api/apps/${appId}$`, delayMs: 3_000 });
      const error = await impatient.apps.get(appId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DifyUnavailableError);
      expect((error as Error).message).toBe(`GET /console/api/apps/${appId} → timeout: no response headers within the 300 ms timeout`);
    });
  });
});

describe('version gating', () => {
  it('1.12.1 has no restore: a clear error and no request', async () => {
    const h = await startHarness({ profile: '1.12.1' });
    try {
      const app = await h.client.apps.create({ name: 'old', mode: 'workflow' });
      await h.client.drafts.sync(app.id, { graph: START_END_GRAPH, features: {}, hash: null });
      const published = await h.client.versions.publishVersion(app.id);
      const before = h.seen().length;
      const error = await h.client.versions.restore(app.id, published.workflowId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DifyUnsupportedError);
      expect((error as Error).message).toBe('restoring a version into the draft needs Dify ≥ 1.13.3; the server is 1.12.1');
      expect(h.seen()).toHaveLength(before);
      // The draft hash on ≤1.13 covers features too: syncing new features needs the current hash.
      const draft = await h.client.drafts.get(app.id);
      await h.client.drafts.sync(app.id, { graph: START_END_GRAPH, features: { opening_statement: 'hi' }, hash: draft!.hash });
      expect((await h.client.drafts.get(app.id))!.hash).not.toBe(draft!.hash);
    } finally {
      await h.close();
    }
  });
});

function suffixNumber(name: string): number {
  return Number(name.slice(-3));
}
