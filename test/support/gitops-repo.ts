// A throwaway dify-gitops repository on disk for plan/apply tests: dify-gitops.yaml pointing at
// simulators, one manifest + DSL per app, output schemas. Plus a CliContext that captures output
// and a DifyClient for arranging live state. Everything real: files, sockets, the simulator.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run as runApply, type ApplyOptions } from '../../src/cli/commands/apply-run.js';
import type { CliContext } from '../../src/cli/context.js';
import { createDifyClient, type DifyClient } from '../../src/dify/index.js';
import type { DslDocument } from '../../src/dsl/index.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import type { ProfileName } from '../../src/simulator/profiles.js';

export const EMAIL = 'owner@example.com';
export const PASSWORD = 'Sim-passw0rd!';

export interface FixtureApp {
  name: string;
  dsl: DslDocument;
  /** Per-environment manifest entries; default `{ target: { create: true } }` in every environment. */
  environments?: Record<string, Record<string, unknown>>;
  healthChecks?: Record<string, unknown>[];
  policies?: Record<string, unknown>;
}

export interface FixtureRepo {
  dir: string;
  /** Process environment carrying the login secrets (and whatever the test adds). */
  env: NodeJS.ProcessEnv;
  writeApp(app: FixtureApp): Promise<void>;
  cleanup(): Promise<void>;
}

export const VERDICT_SCHEMA = {
  type: 'object',
  required: ['verdict'],
  properties: { verdict: { enum: ['ok', 'bad'] } },
};

export async function createFixtureRepo(environments: Record<string, string>, options: { policies?: Record<string, unknown> } = {}): Promise<FixtureRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-repo-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  const config = {
    apiVersion: 'dify-gitops.dev/v1',
    kind: 'Config',
    environments: Object.fromEntries(
      Object.entries(environments).map(([name, url]) => {
        const key = name.toUpperCase();
        env[`DIFY_${key}_EMAIL`] = EMAIL;
        env[`DIFY_${key}_PASSWORD`] = PASSWORD;
        return [name, { url, auth: { emailEnv: `DIFY_${key}_EMAIL`, passwordEnv: `DIFY_${key}_PASSWORD` } }];
      }),
    ),
    ...(options.policies ? { policies: options.policies } : {}),
  };
  await writeFile(join(dir, 'dify-gitops.yaml'), stringify(config));
  await mkdir(join(dir, 'schemas', 'outputs'), { recursive: true });
  await writeFile(join(dir, 'schemas', 'outputs', 'verdict.schema.yaml'), stringify(VERDICT_SCHEMA));
  const envNames = Object.keys(environments);
  return {
    dir,
    env,
    async writeApp(app) {
      const appDir = join(dir, 'workflows', app.name);
      await mkdir(appDir, { recursive: true });
      await writeFile(join(appDir, `${app.name}.dsl.yml`), stringify(app.dsl));
      const manifest = {
        apiVersion: 'dify-gitops.dev/v1',
        kind: 'App',
        name: app.name,
        dsl: `${app.name}.dsl.yml`,
        ...(app.policies ? { policies: app.policies } : {}),
        ...(app.healthChecks ? { healthChecks: app.healthChecks } : {}),
        environments: app.environments ?? Object.fromEntries(envNames.map((n) => [n, { target: { create: true }, ...defaultSecrets(app.dsl, env) }])),
      };
      await writeFile(join(appDir, 'app.yaml'), stringify(manifest));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Binds every secret env var of the DSL to `SECRET_<NAME>` (value `value-of-<name>` unless the test set one). */
function defaultSecrets(dsl: DslDocument, env: NodeJS.ProcessEnv): { secrets?: Record<string, { env: string }> } {
  const names = (dsl.workflow?.environment_variables ?? []).filter((v) => v.value_type === 'secret').map((v) => v.name);
  if (names.length === 0) return {};
  for (const name of names) env[`SECRET_${name}`] ??= `value-of-${name.toLowerCase()}`;
  return { secrets: Object.fromEntries(names.map((name) => [name, { env: `SECRET_${name}` }])) };
}

export interface CapturedContext extends CliContext {
  stdout(): string;
  stderr(): string;
}

export function captureContext(cwd: string, env: NodeJS.ProcessEnv, redactor = new Redactor()): CapturedContext {
  const out: string[] = [];
  const err: string[] = [];
  return {
    redactor,
    out: (text) => void out.push(redactor.redact(text)),
    err: (text) => void err.push(redactor.redact(text)),
    isTTY: false,
    env,
    cwd,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

export async function startSim(profile: ProfileName = '1.14.1', latencyMs = 0): Promise<Simulator> {
  return startSimulator({ port: 0, profile, email: EMAIL, password: PASSWORD, latencyMs, onError: () => undefined });
}

export function simClient(sim: Simulator): DifyClient {
  return createDifyClient({ baseUrl: sim.url, auth: { kind: 'password', email: EMAIL, password: PASSWORD }, redactor: new Redactor() });
}

/** Imports and publishes `dsl` as a new app, as a person would in the UI; returns its id. */
export async function seedApp(client: DifyClient, dsl: DslDocument): Promise<string> {
  const result = await client.dsl.importOrThrow({ yamlContent: stringify(dsl) });
  const appId = result.app_id!;
  if (dsl.app.mode === 'workflow' || dsl.app.mode === 'advanced-chat') await client.versions.publish(appId);
  return appId;
}

/** `dify-gitops apply` through its CLI implementation in the fixture repository, output captured. */
export async function applyIn(repo: FixtureRepo, options: ApplyOptions = {}): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(repo.dir, repo.env);
  const revision = options.revision ?? 'r1';
  const code = await runApply(ctx, { message: `deploy ${revision}`, ...options, revision });
  return { code, out: ctx.stdout(), err: ctx.stderr() };
}

/** DSL imports the simulator has answered (each apply of a changed app makes one). */
export function importCount(sim: Simulator): number {
  return sim.requests.filter((r) => r.method === 'POST' && r.path === '/console/api/apps/imports').length;
}
