// The repository dogfoods its own format: dify-gitops.yaml, workflows/* and schemas/outputs at
// the root are what the demo and the simulator seed deploy. They must validate with no problem at
// all, and resolve to what the docs promise.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepository, renderEnvironmentDsl, type DesiredApp, type LoadedRepository } from '../../src/config/index.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { assessAttempt } from '../../src/health/assess.js';
import type { HealthAttempt } from '../../src/health/types.js';
import { runModelConfig } from '../../src/simulator/engine/model-config-run.js';
import { runGraph } from '../../src/simulator/engine/run-graph.js';
import { REPO_ROOT } from '../support/config-repo.js';

async function load(): Promise<LoadedRepository> {
  return loadRepository({ cwd: REPO_ROOT, env: {} });
}

function find(repo: LoadedRepository, environment: string, name: string): DesiredApp {
  const found = repo.desired.find((d) => d.environment === environment && d.name === name);
  if (!found) throw new Error(`${environment}/${name} missing`);
  return found;
}

/** The text after the last `RESPOND: ` line: what the simulator's stub model answers. */
function stubReply(prompt: string): string | undefined {
  const lines = prompt.split('\n').filter((l) => /^\s*RESPOND: /.test(l));
  return lines.at(-1)?.replace(/^\s*RESPOND: /, '');
}

describe('the example repository at the repo root', () => {
  it('validates with no diagnostics at all, lint included', async () => {
    const repo = await load();
    expect(repo.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(repo.valid).toBe(true);
  });

  it('has three apps of different modes in dev, staging and prod', async () => {
    const repo = await load();
    expect(repo.environments.map((e) => [e.name, e.dev, e.url])).toEqual([
      ['dev', true, 'http://127.0.0.1:5001'],
      ['staging', false, 'http://127.0.0.1:5002'],
      ['prod', false, 'http://127.0.0.1:5003'],
    ]);
    expect(repo.apps.map((a) => [a.name, a.mode, a.dslVersion])).toEqual([
      ['release-notes-writer', 'completion', '0.6.0'],
      ['support-assistant', 'advanced-chat', '0.6.0'],
      ['ticket-triage', 'workflow', '0.6.0'],
    ]);
    expect(repo.desired).toHaveLength(9);
    expect(repo.outputSchemas.map((s) => s.name)).toEqual(['ticket-triage']);
  });

  it('lets the demo point environments elsewhere through DIFY_*_URL', async () => {
    const repo = await loadRepository({ cwd: REPO_ROOT, env: { DIFY_STAGING_URL: 'http://127.0.0.1:40123' } });
    expect(repo.environments.find((e) => e.name === 'staging')).toMatchObject({ url: 'http://127.0.0.1:40123', urlFrom: { env: 'DIFY_STAGING_URL' } });
    expect(repo.environments.find((e) => e.name === 'dev')?.url).toBe('http://127.0.0.1:5001');
  });

  it('ticket-triage: secret, string and number env vars; prod overrides; the stub reply satisfies the output schema', async () => {
    const repo = await load();
    const prod = find(repo, 'prod', 'ticket-triage');
    const vars = prod.source.dsl.dsl.workflow?.environment_variables ?? [];
    expect(vars.map((v) => [v.name, v.value_type, v.value])).toEqual([
      ['TICKET_API_TOKEN', 'secret', ''],
      ['TICKET_SYSTEM_URL', 'string', 'https://tickets.dev.example.com/api'],
      ['MAX_SUMMARY_WORDS', 'integer', 40],
    ]);
    expect(prod.secrets).toEqual([{ variable: 'TICKET_API_TOKEN', keepLive: false, source: { env: 'PROD_TICKET_API_TOKEN' } }]);
    const rendered = renderEnvironmentDsl(prod);
    const classify = rendered.workflow?.graph?.nodes?.find((n) => n.id === 'classify');
    expect(classify?.data.model).toMatchObject({ name: 'gpt-4o', provider: 'langgenius/openai/openai' });
    expect(rendered.workflow?.environment_variables?.find((v) => v.name === 'MAX_SUMMARY_WORDS')?.value).toBe(30);

    const [check] = prod.healthChecks;
    expect(check).toMatchObject({ name: 'billing-ticket-is-triaged', attempts: 3, minPasses: 2, expect: { subject: { kind: 'output', name: 'result' }, json: true } });
    const prompt = (classify?.data.prompt_template as { text: string }[]).map((m) => m.text).join('\n');
    const reply = stubReply(prompt);
    expect(reply).toBeDefined();
    expect(check?.expect.schema?.check(JSON.parse(reply!))).toEqual([]);
    expect(check?.expect.schema?.check({ category: 'weather', priority: 'high', summary: 'x' })).not.toEqual([]);
  });

  it('support-assistant: conversation variable, keep-live secret in dev and sources elsewhere', async () => {
    const repo = await load();
    const dev = find(repo, 'dev', 'support-assistant');
    expect(dev.source.dsl.dsl.workflow?.conversation_variables?.map((v) => v.name)).toEqual(['preferred_language']);
    expect(dev.secrets).toEqual([{ variable: 'CRM_API_KEY', keepLive: true }]);
    expect(find(repo, 'staging', 'support-assistant').secrets).toEqual([{ variable: 'CRM_API_KEY', keepLive: false, source: { env: 'STAGING_CRM_API_KEY' } }]);
    expect(find(repo, 'prod', 'support-assistant').policies.reconcileIntervalMs).toBe(120_000);
    expect(dev.healthChecks[0]).toMatchObject({ mode: 'advanced-chat', query: 'How do I reset my password?', expect: { subject: { kind: 'answer' }, contains: ['password'] } });
  });

  it('release-notes-writer: a completion app whose prod model comes from a modelConfig override', async () => {
    const repo = await load();
    const prod = renderEnvironmentDsl(find(repo, 'prod', 'release-notes-writer'));
    expect(prod.model_config?.model).toMatchObject({ name: 'gpt-4o', completion_params: { temperature: 0.2 } });
    const dev = find(repo, 'dev', 'release-notes-writer');
    expect(renderEnvironmentDsl(dev).model_config?.model).toMatchObject({ name: 'gpt-4o-mini' });
    const check = dev.healthChecks[0];
    expect(check?.expect.regex).toBeDefined();
    expect(new RegExp(check!.expect.regex!).test('## Acme Widgets 2.4.0')).toBe(true);
  });

  it('every health check of every environment passes when the app runs on the simulator engine', async () => {
    const repo = await load();
    const verdicts: string[] = [];
    for (const desired of repo.desired) {
      const dsl = renderEnvironmentDsl(desired);
      for (const check of desired.healthChecks) {
        let attempt: HealthAttempt;
        if (desired.source.mode === 'workflow' || desired.source.mode === 'advanced-chat') {
          const environment = Object.fromEntries((dsl.workflow?.environment_variables ?? []).map((v) => [v.name, v.value_type === 'secret' ? 'canary-secret' : v.value]));
          const conversation = Object.fromEntries((dsl.workflow?.conversation_variables ?? []).map((v) => [v.name, v.value]));
          const result = runGraph({
            mode: desired.source.mode,
            graph: { nodes: dsl.workflow?.graph?.nodes ?? [], edges: dsl.workflow?.graph?.edges ?? [] },
            inputs: check.inputs,
            ...(check.query === undefined ? {} : { query: check.query }),
            environment,
            conversation,
            sys: { user_id: 'health', app_id: 'app' },
          });
          attempt = { status: result.status, runError: result.error, outputs: result.outputs, answer: result.answer, latencyMs: 1, totalTokens: result.usage.totalTokens };
        } else {
          const result = runModelConfig({ mode: 'completion', modelConfig: dsl.model_config ?? {}, inputs: check.inputs, query: check.query ?? '' });
          attempt = { status: 'succeeded', answer: result.answer, latencyMs: 1, totalTokens: result.usage.totalTokens };
        }
        const verdict = assessAttempt(check, attempt);
        verdicts.push(`${desired.environment}/${desired.name}/${check.name}: ${verdict.passed ? 'passed' : verdict.reasons.join('; ')}`);
      }
    }
    expect(verdicts).toHaveLength(12);
    expect(verdicts.filter((v) => !v.endsWith(': passed'))).toEqual([]);
  });

  it('every file a user writes names its JSON Schema with a working relative path', () => {
    for (const file of ['dify-gitops.yaml', 'workflows/ticket-triage/app.yaml', 'workflows/support-assistant/app.yaml', 'workflows/release-notes-writer/app.yaml']) {
      const first = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n')[0] ?? '';
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, file).not.toBeNull();
      const schema = JSON.parse(readFileSync(resolve(dirname(join(REPO_ROOT, file)), match![1]!), 'utf8')) as { $id: string };
      expect(schema.$id).toMatch(file === 'dify-gitops.yaml' ? /config\.v1\.json$/ : /app\.v1\.json$/);
    }
  });
});
