// Checklist 33: tags — bare list with binding_count as a string, duplicates, rename, delete, and
// the binding endpoints of each era.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { startLoggedIn } from '../support/simulator-console.js';
import { importApp, graphDsl, llmWorkflow } from '../support/sim-console.js';

describe.each(['1.14.1', '1.12.1'] as ProfileName[])('tags on %s', (profile) => {
  it('lists, creates, renames, binds, unbinds and deletes', async () => {
    const { sim, client } = await startLoggedIn({ profile });
    try {
      const appId = await importApp(client, graphDsl(llmWorkflow('{{#start.q#}}')));
      const prod = await client.post('/console/api/tags', { name: 'prod', type: 'app' });
      expect(prod.status).toBe(200);
      expect(prod.body).toEqual({ id: expect.any(String), name: 'prod', type: 'app', binding_count: '0' });
      const team = await client.post('/console/api/tags', { name: 'team-a', type: 'app' });
      await client.post('/console/api/tags', { name: 'docs', type: 'knowledge' });
      const dup = await client.post('/console/api/tags', { name: 'prod', type: 'app' });
      expect(dup.status).toBe(400);
      expect(dup.body).toEqual({ code: 'invalid_param', message: 'Tag name already exists', status: 400 });
      expect((await client.post('/console/api/tags', { name: 'prod', type: 'knowledge' })).status).toBe(200);
      expect((await client.post('/console/api/tags', { name: '', type: 'app' })).status).toBe(400);

      const bindPath = profile === '1.14.1' ? '/console/api/tag-bindings' : '/console/api/tag-bindings/create';
      const otherPath = profile === '1.14.1' ? '/console/api/tag-bindings/create' : '/console/api/tag-bindings';
      expect((await client.post(otherPath, { tag_ids: [prod.body.id], target_id: appId, type: 'app' })).status).toBe(404);
      const bound = await client.post(bindPath, { tag_ids: [prod.body.id, team.body.id], target_id: appId, type: 'app' });
      expect(bound.body).toEqual({ result: 'success' });
      expect((await client.post(bindPath, { tag_ids: [prod.body.id], target_id: randomUUID(), type: 'app' })).body).toMatchObject({ code: 'not_found', message: 'App not found' });

      const list = await client.get('/console/api/tags?type=app');
      expect(Array.isArray(list.body)).toBe(true);
      expect(list.body).toEqual([
        { id: team.body.id, name: 'team-a', type: 'app', binding_count: '1' },
        { id: prod.body.id, name: 'prod', type: 'app', binding_count: '1' },
      ]);
      expect((await client.get('/console/api/tags?type=app&keyword=TEAM')).body.map((t: { name: string }) => t.name)).toEqual(['team-a']);
      expect((await client.get(`/console/api/apps/${appId}`)).body.tags.map((t: { name: string }) => t.name).sort()).toEqual(['prod', 'team-a']);

      const removeBody = profile === '1.14.1' ? { tag_ids: [team.body.id], target_id: appId, type: 'app' } : { tag_id: team.body.id, target_id: appId, type: 'app' };
      expect((await client.post('/console/api/tag-bindings/remove', removeBody)).body).toEqual({ result: 'success' });
      if (profile === '1.14.1') expect((await client.post('/console/api/tag-bindings/remove', { tag_ids: [], target_id: appId, type: 'app' })).status).toBe(400);

      const renamed = await client.request('PATCH', `/console/api/tags/${prod.body.id}`, { json: { name: 'production', type: 'app' } });
      expect(renamed.body).toEqual({ id: prod.body.id, name: 'production', type: 'app', binding_count: '1' });
      expect((await client.request('PATCH', `/console/api/tags/${prod.body.id}`, { json: { name: 'team-a', type: 'app' } })).status).toBe(400);
      expect((await client.request('PATCH', `/console/api/tags/${randomUUID()}`, { json: { name: 'x', type: 'app' } })).body).toMatchObject({ code: 'not_found', message: 'Tag not found' });

      const deleted = await client.request('DELETE', `/console/api/tags/${prod.body.id}`);
      expect(deleted.status).toBe(204);
      expect(sim.state.apps.find((a) => a.id === appId)?.tag_ids).toEqual([]);
      expect((await client.get('/console/api/tags?type=app')).body.map((t: { name: string }) => t.name)).toEqual(['team-a']);
    } finally {
      await sim.close();
    }
  });
});
