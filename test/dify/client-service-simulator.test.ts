// The service API, API keys, tags and debugger runs driven through the Dify client against the
// simulator: blocking and streaming runs of workflow and advanced-chat apps, the 10-key limit,
// a deleted key failing at once, tag filters per version, and console draft runs over SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DifyApiError, DifyAuthError } from '../../src/dify/errors.js';
import type { DifyStreamEvent } from '../../src/dify/index.js';
import { ECHO_CHAT_GRAPH, ECHO_WORKFLOW_GRAPH, startHarness, workflowYaml, type Harness } from '../support/dify-client-harness.js';

async function collect(stream: AsyncIterable<DifyStreamEvent>): Promise<DifyStreamEvent[]> {
  const events: DifyStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('service API through the client on 1.14.1', () => {
  let h: Harness;
  let workflowAppId: string;
  let chatAppId: string;
  let workflowKey: string;
  let chatKey: string;
  beforeAll(async () => {
    h = await startHarness({ profile: '1.14.1' });
    workflowAppId = (await h.client.dsl.importOrThrow({ yamlContent: workflowYaml({ name: 'echo', graph: ECHO_WORKFLOW_GRAPH }) })).app_id!;
    chatAppId = (await h.client.dsl.importOrThrow({ yamlContent: workflowYaml({ name: 'chat', mode: 'advanced-chat', graph: ECHO_CHAT_GRAPH }) })).app_id!;
    workflowKey = (await h.client.apiKeys.create(workflowAppId)).token;
    chatKey = (await h.client.apiKeys.create(chatAppId)).token;
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses to run an unpublished workflow, then runs it blocking once published', async () => {
    const svc = h.client.service(workflowKey);
    const unpublished = await svc.runWorkflow({ user: 'u1', inputs: { q: 'hi' } }).catch((e: unknown) => e);
    expect(unpublished).toBeInstanceOf(DifyApiError);
    expect(unpublished).toMatchObject({ status: 400, code: 'invalid_param', detail: 'Workflow not published' });

    const { workflowId } = await h.client.versions.publishVersion(workflowAppId);
    const run = await svc.runWorkflow({ user: 'u1', inputs: { q: 'hello' } });
    expect(run.data).toMatchObject({ status: 'succeeded', outputs: { echo: 'hello' }, workflow_id: workflowId });
    const record = await svc.getWorkflowRun(run.workflow_run_id);
    expect(record).toMatchObject({ id: run.workflow_run_id, status: 'succeeded', outputs: { echo: 'hello' } });
    const pinned = await svc.runWorkflow({ user: 'u1', inputs: { q: 'pinned' }, workflowId });
    expect(pinned.data.outputs).toEqual({ echo: 'pinned' });
  });

  it('streams a workflow run to the end without an end marker', async () => {
    await h.client.versions.publish(workflowAppId);
    const events = await collect(await h.client.service(workflowKey).runWorkflowStream({ user: 'u2', inputs: { q: 'streamed' } }));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('workflow_started');
    expect(names.at(-1)).toBe('workflow_finished');
    expect(names).toContain('node_finished');
    expect(events.at(-1)).toMatchObject({ data: { status: 'succeeded', outputs: { echo: 'streamed' } } });
  });

  it('validates inputs before streaming (a normal HTTP error)', async () => {
    await h.client.versions.publish(workflowAppId);
    const error = await h.client.service(workflowKey).runWorkflowStream({ user: 'u3', inputs: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_param' });
  });

  it('chats with an advanced-chat app, blocking and streaming', async () => {
    await h.client.versions.publish(chatAppId);
    const svc = h.client.service(chatKey);
    const blocking = await svc.chat({ query: 'ping', user: 'u4' });
    expect(blocking.answer).toBe('You said ping');
    expect(typeof blocking.conversation_id).toBe('string');
    const events = await collect(await svc.chatStream({ query: 'pong', user: 'u4', conversation_id: blocking.conversation_id! }));
    const answer = events.filter((e) => e.event === 'message').map((e) => e.answer as string).join('');
    expect(answer).toBe('You said pong');
    expect(events.map((e) => e.event)).toContain('message_end');
    const info = await svc.info();
    expect(info.name).toBe('chat');
    expect(await svc.parameters()).toHaveProperty('user_input_form');
  });

  it('answers a chat call on a workflow app with not_chat_app', async () => {
    const error = await h.client.service(workflowKey).chat({ query: 'x', user: 'u5' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'not_chat_app' });
  });

  it('runs the draft from the console over SSE', async () => {
    const events = await collect(await h.client.drafts.run(workflowAppId, { inputs: { q: 'draft' } }));
    expect(events.at(-1)).toMatchObject({ event: 'workflow_finished', data: { outputs: { echo: 'draft' } } });
    const chat = await collect(await h.client.drafts.runAdvancedChat(chatAppId, { query: 'debug', inputs: {} }));
    expect(chat.filter((e) => e.event === 'message').map((e) => e.answer as string).join('')).toBe('You said debug');
  });

  it('allows 10 API keys, lists them registered for redaction, and a deleted key stops working', async () => {
    const app = await h.client.apps.create({ name: 'keys', mode: 'workflow' });
    for (let i = 0; i < 10; i++) await h.client.apiKeys.create(app.id);
    const eleventh = await h.client.apiKeys.create(app.id).catch((e: unknown) => e);
    expect(eleventh).toBeInstanceOf(DifyApiError);
    expect(eleventh).toMatchObject({ status: 400, code: 'max_keys_exceeded' });
    const keys = await h.client.apiKeys.list(app.id);
    expect(keys).toHaveLength(10);
    for (const key of keys) {
      expect(key.token).toMatch(/^app-[A-Za-z0-9]{24}$/);
      expect(h.redactor.redact(key.token)).toBe('***');
    }
    const victim = keys[0]!;
    await h.client.apiKeys.delete(app.id, victim.id);
    expect((await h.client.apiKeys.list(app.id)).map((k) => k.id)).not.toContain(victim.id);
    const rejected = await h.client.service(victim.token).info().catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(DifyAuthError);
    expect((rejected as Error).message).not.toContain(victim.token);
  });

  it('filters apps by tag ids (indexed syntax on 1.14) and binds/unbinds tags', async () => {
    const tag = await h.client.tags.create('prod');
    const other = await h.client.tags.create('staging');
    await h.client.tags.bind([tag.id, other.id], workflowAppId);
    expect((await h.client.apps.list({ tagIds: [tag.id] })).map((a) => a.id)).toEqual([workflowAppId]);
    expect((await h.client.tags.list()).find((t) => t.id === tag.id)?.binding_count).toBe('1');
    await h.client.tags.unbind([tag.id], workflowAppId);
    expect(await h.client.apps.list({ tagIds: [tag.id] })).toEqual([]);
    expect((await h.client.apps.list({ tagIds: [other.id] })).map((a) => a.id)).toEqual([workflowAppId]);
  });
});

describe('tags on 1.12.1 (comma tag_ids, /tag-bindings/create)', () => {
  it('binds, filters and unbinds', async () => {
    const h = await startHarness({ profile: '1.12.1' });
    try {
      const app = await h.client.apps.create({ name: 'tagged', mode: 'workflow' });
      const a = await h.client.tags.create('a');
      const b = await h.client.tags.create('b');
      await h.client.tags.bind([a.id, b.id], app.id);
      expect((await h.client.apps.list({ tagIds: [a.id, b.id] })).map((x) => x.id)).toEqual([app.id]);
      await h.client.tags.unbind([a.id, b.id], app.id);
      expect(await h.client.apps.list({ tagIds: [a.id] })).toEqual([]);
      expect(h.seen()).toContain('POST /console/api/tag-bindings/create 200');
    } finally {
      await h.close();
    }
  });
});

describe('model-provider credential rotation through the client', () => {
  it('adds a named credential, switches to it and deletes the old one (≥1.8)', async () => {
    const h = await startHarness({ profile: '1.14.1' });
    try {
      const mp = h.client.modelProviders;
      const provider = 'langgenius/openai/openai';
      await mp.createCredential(provider, { openai_api_key: 'sk-first-key-canary-01' }, 'first');
      await mp.createCredential(provider, { openai_api_key: 'sk-second-key-canary-02' }, 'second');
      const listed = (await mp.list('llm')).find((p) => p.provider === provider)!;
      const byName = new Map(listed.custom_configuration!.available_credentials!.map((c) => [c.credential_name, c.credential_id]));
      expect(listed.custom_configuration!.current_credential_name).toBe('first');
      await mp.switchCredential(provider, byName.get('second')!);
      await mp.deleteCredential(provider, byName.get('first')!);
      const active = await mp.getCredentials(provider);
      expect(String(active!.openai_api_key)).toMatch(/^sk-sec\*{12}02$/);
      const stored = h.sim.state.providers.find((p) => p.provider === provider)!;
      expect(stored.credentials.map((c) => c.credential_name)).toEqual(['second']);
      expect(stored.current_credential_id).toBe(byName.get('second'));

      const bad = await mp.validateCredentials(provider, { openai_api_key: 'not-a-key-canary' });
      expect(bad.result).toBe('error');
      const refused = await mp.createCredential(provider, { openai_api_key: 'bad-key-canary-03' }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 400, code: 'invalid_param' });
      expect((refused as Error).message).not.toContain('bad-key-canary-03');
    } finally {
      await h.close();
    }
  });
});
