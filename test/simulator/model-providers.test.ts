// Checklist 32: model-provider credentials in both eras, and their effect on runs (a configured
// provider without a valid active key fails LLM nodes like Dify's missing credentials).

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { ConsoleClient, startLoggedIn } from '../support/simulator-console.js';
import { chatApp, llmWorkflow, publishedApp, v1 } from '../support/sim-console.js';

const P = '/console/api/workspaces/current/model-providers';
const OPENAI = `${P}/langgenius/openai/openai`;
const KEY_A = 'sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaA1';
const KEY_B = 'sk-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbB2';

describe('multi-credential providers (1.14.1)', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
  });
  afterAll(() => sim.close());

  const provider = () => sim.state.providers.find((p) => p.provider === 'langgenius/openai/openai');

  it('creates credentials: first active, later not, API KEY n names, duplicate names refused', async () => {
    expect((await client.post(`${OPENAI}/credentials`, { credentials: { openai_api_key: KEY_A } })).status).toBe(201);
    // A bare `openai` is normalised to langgenius/openai/openai.
    const second = await client.post(`${P}/openai/credentials`, { credentials: { openai_api_key: KEY_B } });
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ result: 'success' });
    expect(provider()?.credentials.map((c) => c.credential_name)).toEqual(['API KEY 1', 'API KEY 2']);
    expect(provider()?.current_credential_id).toBe(provider()?.credentials[0]?.credential_id);
    const dup = await client.post(`${OPENAI}/credentials`, { credentials: { openai_api_key: KEY_B }, name: 'API KEY 1' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ code: 'invalid_param', message: "Credential with name 'API KEY 1' already exists.", status: 400 });
    const invalid = await client.post(`${OPENAI}/credentials`, { credentials: { openai_api_key: 'not-a-key' }, name: 'bad' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('invalid_param');
    expect(provider()?.credentials).toHaveLength(2);
    const badId = await client.post(`${P}/not/a/valid/id/credentials`, { credentials: { openai_api_key: KEY_A } });
    expect(badId.body).toMatchObject({ code: 'invalid_param', message: 'Invalid plugin id not/a/valid/id' });
  });

  it('GET obfuscates (6 + 12 * + 2) and lists credentials in the provider list', async () => {
    const active = await client.get(`${OPENAI}/credentials`);
    expect(active.body).toEqual({ credentials: { openai_api_key: `sk-aaa${'*'.repeat(12)}A1` } });
    const secondId = provider()?.credentials[1]?.credential_id;
    expect((await client.get(`${OPENAI}/credentials?credential_id=${secondId}`)).body.credentials.openai_api_key).toBe(`sk-bbb${'*'.repeat(12)}B2`);
    const missing = randomUUID();
    expect((await client.get(`${OPENAI}/credentials?credential_id=${missing}`)).body).toEqual({ code: 'invalid_param', message: `Credential with id ${missing} not found.`, status: 400 });
    const list = await client.get(`${P}?model_type=llm`);
    const openai = list.body.data.find((p: { provider: string }) => p.provider === 'langgenius/openai/openai');
    expect(openai.custom_configuration).toMatchObject({
      status: 'active',
      current_credential_name: 'API KEY 1',
      available_credentials: [{ credential_name: 'API KEY 1' }, { credential_name: 'API KEY 2' }],
    });
    expect(openai.preferred_provider_type).toBe('custom');
  });

  it('PUT keeps a [__HIDDEN__] secret and replaces a new one; /switch changes the active key', async () => {
    const [first, second] = provider()?.credentials ?? [];
    expect((await client.request('PUT', `${OPENAI}/credentials`, { json: { credential_id: first?.credential_id, credentials: { openai_api_key: '[__HIDDEN__]', openai_organization: 'org-1' } } })).status).toBe(200);
    expect(first?.credentials).toEqual({ openai_api_key: KEY_A, openai_organization: 'org-1' });
    const rotated = 'sk-rotatedrotatedrotatedrotated99';
    expect((await client.request('PUT', `${OPENAI}/credentials`, { json: { credential_id: first?.credential_id, credentials: { openai_api_key: rotated } } })).status).toBe(200);
    expect(first?.credentials.openai_api_key).toBe(rotated);
    const switched = await client.post(`${OPENAI}/credentials/switch`, { credential_id: second?.credential_id });
    expect(switched.body).toEqual({ result: 'success' });
    expect(provider()?.current_credential_id).toBe(second?.credential_id);
    const unknown = await client.post(`${OPENAI}/credentials/switch`, { credential_id: randomUUID() });
    expect(unknown.body).toEqual({ code: 'invalid_param', message: 'Credential record not found.', status: 400 });
  });

  it('validate answers 200 success or 200 error', async () => {
    expect((await client.post(`${OPENAI}/credentials/validate`, { credentials: { openai_api_key: KEY_A } })).body).toEqual({ result: 'success' });
    const bad = await client.post(`${OPENAI}/credentials/validate`, { credentials: { openai_api_key: 'nope' } });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ result: 'error', error: expect.stringContaining('sk-') });
  });

  it('DELETE takes a JSON body and returns 204; deleting the active key leaves none active and runs fail', async () => {
    const { key } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const chat = await chatApp(client, 'chat');
    const run = () => v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' });
    expect((await run()).body.data.status).toBe('succeeded');
    const active = provider()?.current_credential_id;
    const deleted = await client.request('DELETE', `${OPENAI}/credentials`, { json: { credential_id: active } });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(provider()?.current_credential_id).toBeNull();
    expect((await client.get(`${OPENAI}/credentials`)).body).toEqual({ credentials: null });
    expect((await run()).body.data).toMatchObject({ status: 'failed', error: 'Model gpt-4o credentials is not initialized.' });
    const chatRun = await v1(sim, chat.key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'u', response_mode: 'streaming' });
    expect(chatRun.status).toBe(400);
    expect(chatRun.body).toEqual({ code: 'provider_not_initialize', message: 'Model gpt-4o credentials is not initialized.', status: 400 });
    // A new credential becomes active because none is; runs work again.
    expect((await client.post(`${OPENAI}/credentials`, { credentials: { openai_api_key: KEY_A }, name: 'fresh' })).status).toBe(201);
    expect((await run()).body.data.status).toBe('succeeded');
  });

  it('credential writes need admin or owner', async () => {
    sim.state.accounts.push({ id: randomUUID(), email: 'ed@example.com', name: 'Ed', password: 'Passw0rd!', role: 'editor', failedLogins: 0 });
    const editor = new ConsoleClient(sim);
    await editor.login('ed@example.com', 'Passw0rd!');
    expect((await editor.post(`${OPENAI}/credentials`, { credentials: { openai_api_key: KEY_A } })).status).toBe(403);
    expect((await editor.post(`${OPENAI}/credentials/validate`, { credentials: { openai_api_key: KEY_A } })).status).toBe(200);
  });
});

describe('single-credential providers (1.0.0)', () => {
  it('POST saves or replaces one credential (201), DELETE removes it (204)', async () => {
    const { sim, client } = await startLoggedIn({ profile: '1.0.0' });
    try {
      expect((await client.post(`${OPENAI}`, { credentials: { openai_api_key: KEY_A } })).status).toBe(201);
      expect((await client.post(`${P}/openai`, { credentials: { openai_api_key: '[__HIDDEN__]', openai_organization: 'o' } })).status).toBe(201);
      expect((await client.get(`${OPENAI}/credentials`)).body).toEqual({ credentials: { openai_api_key: `sk-aaa${'*'.repeat(12)}A1`, openai_organization: 'o' } });
      expect((await client.post(`${OPENAI}`, { credentials: { openai_api_key: 'bad' } })).status).toBe(400);
      const list = await client.get(P);
      expect(list.body.data.find((p: { provider: string }) => p.provider === 'langgenius/openai/openai').custom_configuration).toEqual({ status: 'active' });
      // The multi-credential endpoints do not exist in this release.
      expect((await client.post(`${OPENAI}/credentials/switch`, { credential_id: randomUUID() })).status).not.toBe(200);
      const deleted = await client.request('DELETE', OPENAI);
      expect(deleted.status).toBe(204);
      expect((await client.get(`${OPENAI}/credentials`)).body).toEqual({ credentials: null });
    } finally {
      await sim.close();
    }
  });
});
