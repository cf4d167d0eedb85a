// What the console resources put on the wire per Dify version, where the simulator does not (yet)
// serve the endpoint: tag filters and bindings, model-provider credentials in both eras, API keys.
// A scripted node:http server answers and records; assertions are on the recorded requests.
import { afterEach, describe, expect, it } from 'vitest';
import { createDifyClient, type DifyClient } from '../../src/dify/index.js';
import { DifyApiError, DifyUnsupportedError } from '../../src/dify/errors.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { sendJson, startScriptedServer, type ScriptedServer, type SeenRequest } from '../support/scripted-http-server.js';

const APP = '3f0c3a4e-1d2b-4c5d-8e9f-a0b1c2d3e4f5';
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

let server: ScriptedServer | undefined;
let client: DifyClient | undefined;
let redactor: Redactor;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

/** A server claiming `version`; `answer` handles everything but GET /v1/. */
async function start(version: string, answer: (req: SeenRequest) => { status: number; body?: unknown }): Promise<void> {
  server = await startScriptedServer((req, res) => {
    if (req.url === '/v1/') return sendJson(res, 200, { server_version: version });
    const { status, body } = answer(req);
    if (body === undefined) {
      res.statusCode = status;
      return void res.end();
    }
    sendJson(res, status, body);
  });
  redactor = new Redactor();
  client = createDifyClient({ baseUrl: server.url, auth: { kind: 'admin-key', apiKey: 'admin-key-wire', workspaceId: 'ws' }, redactor, sleep: () => Promise.resolve() });
}

const sent = (): string[] => server!.requests.filter((r) => r.url !== '/v1/').map((r) => `${r.method} ${decodeURIComponent(r.url)} ${r.body}`);

describe('app list tag filter', () => {
  it('uses indexed tag_ids on 1.14', async () => {
    await start('1.14.1', () => ({ status: 200, body: { data: [], has_more: false, page: 1, limit: 100, total: 0 } }));
    await client!.apps.list({ tagIds: [T1, T2], mode: 'workflow' });
    expect(sent()).toEqual([`GET /console/api/apps?page=1&limit=100&mode=workflow&tag_ids[0]=${T1}&tag_ids[1]=${T2} `]);
  });

  it('uses a comma list before 1.14', async () => {
    await start('1.12.1', () => ({ status: 200, body: { data: [], has_more: false } }));
    await client!.apps.list({ tagIds: [T1, T2] });
    expect(sent()).toEqual([`GET /console/api/apps?page=1&limit=100&tag_ids=${T1},${T2} `]);
  });

  it('rejects an app list without the fields the client relies on', async () => {
    await start('1.14.1', () => ({ status: 200, body: { data: [{ id: 1 }], has_more: false } }));
    await expect(client!.apps.list()).rejects.toThrow("GET /console/api/apps → 200 unexpected_response: unexpected app page shape: body.data.0 must have required property 'name'");
  });
});

describe('tag bindings', () => {
  it('binds and unbinds with tag_ids lists on 1.14', async () => {
    await start('1.14.1', () => ({ status: 200, body: { result: 'success' } }));
    await client!.tags.bind([T1, T2], APP);
    await client!.tags.unbind([T1, T2], APP);
    expect(sent()).toEqual([
      `POST /console/api/tag-bindings {"tag_ids":["${T1}","${T2}"],"target_id":"${APP}","type":"app"}`,
      `POST /console/api/tag-bindings/remove {"tag_ids":["${T1}","${T2}"],"target_id":"${APP}","type":"app"}`,
    ]);
  });

  it('uses /tag-bindings/create and one tag_id per remove before 1.14', async () => {
    await start('1.12.1', () => ({ status: 200, body: { result: 'success' } }));
    await client!.tags.bind([T1, T2], APP);
    await client!.tags.unbind([T1, T2], APP);
    expect(sent()).toEqual([
      `POST /console/api/tag-bindings/create {"tag_ids":["${T1}","${T2}"],"target_id":"${APP}","type":"app"}`,
      `POST /console/api/tag-bindings/remove {"tag_id":"${T1}","target_id":"${APP}","type":"app"}`,
      `POST /console/api/tag-bindings/remove {"tag_id":"${T2}","target_id":"${APP}","type":"app"}`,
    ]);
  });

  it('lists tags (a bare array) and creates one', async () => {
    await start('1.14.1', (req) =>
      req.method === 'GET'
        ? { status: 200, body: [{ id: T1, name: 'prod', type: 'app', binding_count: '3' }] }
        : { status: 200, body: { id: T2, name: 'new', type: 'app', binding_count: '0' } },
    );
    expect(await client!.tags.list('app', 'pr')).toEqual([{ id: T1, name: 'prod', type: 'app', binding_count: '3' }]);
    expect((await client!.tags.create('new')).id).toBe(T2);
    expect(sent()).toEqual(['GET /console/api/tags?type=app&keyword=pr ', 'POST /console/api/tags {"name":"new","type":"app"}']);
  });
});

describe('model-provider credentials', () => {
  const provider = 'langgenius/openai/openai';

  it('creates, updates, switches, validates and deletes named credentials on ≥1.8', async () => {
    await start('1.14.1', (req) => {
      if (req.method === 'DELETE') return { status: 204 };
      if (req.url.endsWith('/validate')) return { status: 200, body: { result: 'error', error: 'Incorrect API key provided: sk-new-secret-9' } };
      return { status: req.method === 'POST' && req.url.endsWith('/credentials') ? 201 : 200, body: { result: 'success' } };
    });
    const mp = client!.modelProviders;
    await mp.createCredential(provider, { openai_api_key: 'sk-new-secret-9', openai_api_base: 'https://api.example' }, 'rotated');
    await mp.switchCredential(provider, 'c2');
    await mp.updateCredential(provider, 'c1', { openai_api_key: '[__HIDDEN__]' });
    const validation = await mp.validateCredentials(provider, { openai_api_key: 'sk-new-secret-9' });
    await mp.deleteCredential(provider, 'c1');
    const base = `/console/api/workspaces/current/model-providers/${provider}`;
    expect(sent()).toEqual([
      `POST ${base}/credentials {"credentials":{"openai_api_key":"sk-new-secret-9","openai_api_base":"https://api.example"},"name":"rotated"}`,
      `POST ${base}/credentials/switch {"credential_id":"c2"}`,
      `PUT ${base}/credentials {"credential_id":"c1","credentials":{"openai_api_key":"[__HIDDEN__]"}}`,
      `POST ${base}/credentials/validate {"credentials":{"openai_api_key":"sk-new-secret-9"}}`,
      `DELETE ${base}/credentials {"credential_id":"c1"}`,
    ]);
    // The key was registered when sent, so the provider's echo of it is redacted.
    expect(validation).toEqual({ result: 'error', error: 'Incorrect API key provided: ***' });
    expect(redactor.has('https://api.example')).toBe(false);
  });

  it('uses the single-credential endpoints on ≤1.7 and refuses the named ones', async () => {
    await start('1.7.2', (req) => (req.method === 'DELETE' ? { status: 204 } : { status: 201, body: { result: 'success' } }));
    const mp = client!.modelProviders;
    await mp.saveSingleCredential(provider, { openai_api_key: 'sk-old' });
    await mp.deleteSingleCredential(provider);
    await expect(mp.createCredential(provider, {})).rejects.toBeInstanceOf(DifyUnsupportedError);
    const base = `/console/api/workspaces/current/model-providers/${provider}`;
    expect(sent()).toEqual([`POST ${base} {"credentials":{"openai_api_key":"sk-old"}}`, `DELETE ${base} `]);
  });
});

describe('API keys', () => {
  it('registers every token read and reports the 10-key limit by its `custom` code', async () => {
    await start('1.14.1', (req) => {
      if (req.method === 'GET') return { status: 200, body: { data: [{ id: 'k1', type: 'app', token: 'app-ListedToken000000000001', last_used_at: null, created_at: 1 }] } };
      return { status: 400, body: { message: 'Cannot create more than 10 API keys for this resource type.', custom: 'max_keys_exceeded' } };
    });
    await client!.apiKeys.list(APP);
    expect(redactor.redact('app-ListedToken000000000001')).toBe('***');
    const error = await client!.apiKeys.create(APP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyApiError);
    expect((error as Error).message).toBe(`POST /console/api/apps/${APP}/api-keys → 400 max_keys_exceeded: Cannot create more than 10 API keys for this resource type.`);
    expect(server!.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('version detection', () => {
  it('falls back to the X-Version header when GET /v1/ has no server_version', async () => {
    server = await startScriptedServer((req, res) => {
      if (req.url === '/v1/') return sendJson(res, 404, { code: 'not_found', message: 'Not Found', status: 404 }, { 'x-version': '1.9.1' });
      sendJson(res, 200, { result: 'success', data: { access_token: 'acc-token-x', refresh_token: 'ref-token-x' } });
    });
    redactor = new Redactor();
    client = createDifyClient({ baseUrl: server.url, auth: { kind: 'password', email: 'a@b.c', password: 'pw-detect-1' }, redactor });
    const info = await client.serverInfo();
    expect(info.version.raw).toBe('1.9.1');
    expect(info.authMode).toBe('body-token');
  });

  it('says clearly when the version cannot be detected', async () => {
    server = await startScriptedServer((_req, res) => sendJson(res, 200, { welcome: 'something else' }));
    client = createDifyClient({ baseUrl: server.url, auth: { kind: 'password', email: 'a@b.c', password: 'pw-detect-2' }, redactor: new Redactor() });
    await expect(client.apps.list()).rejects.toThrow(
      'GET /v1/ → 200 unexpected_response: cannot detect the Dify version: no server_version in the body and no X-Version header',
    );
  });

  it('refuses version-gated calls on old servers before sending them', async () => {
    await start('1.0.0', () => ({ status: 200, body: { result: 'success', created_at: 1 } }));
    await expect(client!.versions.publish(APP, { marked_name: 'v1' })).rejects.toThrow(
      'marked_name / marked_comment on publish needs Dify ≥ 1.0.1; the server is 1.0.0',
    );
    await expect(client!.dsl.export(APP, { workflowId: 'w' })).rejects.toBeInstanceOf(DifyUnsupportedError);
    await expect(client!.drafts.setFeatures(APP, {})).rejects.toBeInstanceOf(DifyUnsupportedError);
    expect(sent()).toEqual([]);
    await client!.versions.publish(APP);
    expect(sent()).toEqual([`POST /console/api/apps/${APP}/workflows/publish {}`]);
  });
});
