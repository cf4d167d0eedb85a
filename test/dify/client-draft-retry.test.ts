// Draft sync is retried as a compare-and-swap: when the answer to an applied sync is lost, the
// retry gets 409 and the client reads the draft back to decide whether its own write landed.
// The "applied, then the connection died" case needs a server that writes before dropping, so
// this uses a scripted node:http server instead of the simulator (whose faults fire before the handler).
import { afterEach, describe, expect, it } from 'vitest';
import { createDifyClient, type DifyClient } from '../../src/dify/index.js';
import { DraftConflictError } from '../../src/dify/errors.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { sendJson, startScriptedServer, type ScriptedServer } from '../support/scripted-http-server.js';

const APP = '3f0c3a4e-1d2b-4c5d-8e9f-a0b1c2d3e4f5';
const DRAFT = `/console/api/apps/${APP}/workflows/draft`;
const SENT = { nodes: [{ id: 'start', data: { type: 'start' } }], edges: [] };

let server: ScriptedServer | undefined;
let client: DifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

/** A 1.14.1-looking server whose first draft POST applies the write and then drops the socket. */
async function start(otherEdit: 'none' | 'graph' | 'env-var'): Promise<void> {
  let draft = { graph: { nodes: [], edges: [] } as unknown, features: {}, hash: 'h0', updated_at: 100, environment_variables: [] as unknown[] };
  let posts = 0;
  server = await startScriptedServer((req, res) => {
    if (req.url === '/v1/') return sendJson(res, 200, { welcome: 'Dify OpenAPI', api_version: 'v1', server_version: '1.14.1' });
    if (req.url === DRAFT && req.method === 'POST') {
      const body = JSON.parse(req.body) as { graph: unknown; features: Record<string, unknown>; hash: string | null; environment_variables: unknown[] };
      posts++;
      if (body.hash !== draft.hash) {
        return sendJson(res, 409, { code: 'draft_workflow_not_sync', message: 'Workflow graph might have been modified, please refresh and resubmit.', status: 409 });
      }
      draft = {
        graph: otherEdit === 'graph' ? { nodes: [{ id: 'someone-else' }], edges: [] } : body.graph,
        features: body.features,
        hash: `h${posts}`,
        updated_at: 100 + posts,
        environment_variables: otherEdit === 'env-var' ? [{ id: 'v1', name: 'REGION', value_type: 'string', value: 'edited-in-the-ui' }] : body.environment_variables,
      };
      if (posts === 1) return void res.socket?.destroy();
      return sendJson(res, 200, { result: 'success', hash: draft.hash, updated_at: draft.updated_at });
    }
    if (req.url === DRAFT && req.method === 'GET') {
      return sendJson(res, 200, { id: 'd', version: 'draft', ...draft, conversation_variables: [] });
    }
    sendJson(res, 501, { message: `unexpected ${req.method} ${req.url}` });
  });
  client = createDifyClient({
    baseUrl: server.url,
    auth: { kind: 'admin-key', apiKey: 'admin-key-for-retry-test', workspaceId: 'w' },
    redactor: new Redactor(),
    sleep: () => Promise.resolve(),
  });
}

describe('draft sync after a lost answer', () => {
  it('counts the sync as done when the draft holds exactly what was sent', async () => {
    await start('none');
    const result = await client!.drafts.sync(APP, { graph: SENT, features: { a: 1 }, hash: 'h0' });
    expect(result).toEqual({ hash: 'h1', updated_at: 101 });
    expect(server!.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/', `POST ${DRAFT}`, `POST ${DRAFT}`, `GET ${DRAFT}`]);
  });

  it('raises the conflict when the draft holds someone else\'s graph', async () => {
    await start('graph');
    const error = await client!.drafts.sync(APP, { graph: SENT, features: {}, hash: 'h0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DraftConflictError);
    expect(error).toMatchObject({ attempts: 2 });
  });

  it('raises the conflict when only an environment variable differs from what was sent', async () => {
    await start('env-var');
    const variables = [{ name: 'REGION', value_type: 'string', value: 'eu-west-1' }];
    const error = await client!.drafts.sync(APP, { graph: SENT, features: {}, hash: 'h0', environment_variables: variables }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DraftConflictError);
  });

  it('counts a sync with variables as done when the draft holds the same variables', async () => {
    await start('none');
    const variables = [{ name: 'REGION', value_type: 'string', value: 'eu-west-1' }];
    const result = await client!.drafts.sync(APP, { graph: SENT, features: {}, hash: 'h0', environment_variables: variables });
    expect(result.hash).toBe('h1');
  });
});
