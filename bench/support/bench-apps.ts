// The world the plan, reconcile and serve benchmarks share: N small workflow apps seeded in a
// simulator (import + publish), a repository on disk that adopts them, the simulator's request
// counter, and the `--name value` numeric flags of `npm run bench -- <name> …`.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { createDifyClient } from '../../src/dify/index.js';
import { Redactor } from '../../src/secrets/redactor.js';

export const BENCH_EMAIL = 'bench@example.com';
export const BENCH_PASSWORD = 'bench-password-1';
/** The process environment the benchmark repository's config reads its login from. */
export const BENCH_ENV = { BENCH_EMAIL, BENCH_PASSWORD };

/** `--name <number>`; the fallback when absent or not a number ≥ 0 (or > 0 with `positive`). */
export function numericOption(args: readonly string[], name: string, fallback: number, options: { positive?: boolean } = {}): number {
  const index = args.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(args[index + 1]);
  const allowed = value !== undefined && Number.isFinite(value) && (options.positive === true ? value > 0 : value >= 0);
  return allowed ? value : fallback;
}

/** `bench-0001` … */
export function benchAppNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
}

/** A three-node workflow (start → LLM → end) with one plain env var, as Dify exports it. */
export function benchAppDsl(name: string): Record<string, unknown> {
  const node = (id: string, x: number, data: Record<string, unknown>) => ({ id, type: 'custom', position: { x, y: 0 }, data });
  return {
    app: { name, mode: 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version: '0.6.0',
    workflow: {
      graph: {
        nodes: [
          node('start', 0, { type: 'start', title: 'Start', variables: [{ variable: 'q', label: 'q', type: 'text-input', required: true }] }),
          node('llm', 300, {
            type: 'llm',
            title: 'LLM',
            model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} },
            prompt_template: [{ role: 'user', text: `${name}: {{#start.q#}}` }],
            context: { enabled: false, variable_selector: [] },
          }),
          node('end', 600, { type: 'end', title: 'End', outputs: [{ variable: 'result', value_selector: ['llm', 'text'] }] }),
        ],
        edges: [
          { id: 'start-source-llm-target', source: 'start', sourceHandle: 'source', target: 'llm', targetHandle: 'target' },
          { id: 'llm-source-end-target', source: 'llm', sourceHandle: 'source', target: 'end', targetHandle: 'target' },
        ],
        viewport: { x: 0, y: 0, zoom: 1 },
      },
      features: {},
      environment_variables: [{ id: `${name}-region`, name: 'REGION', value_type: 'string', value: 'eu', description: '', selector: ['env', 'REGION'] }],
      conversation_variables: [],
    },
  };
}

/** Imports and publishes every app, 32 at a time, so the benchmark starts from a deployed world. */
export async function seedBenchApps(url: string, names: readonly string[]): Promise<void> {
  process.stdout.write(`seeding ${names.length} apps (import + publish) …\n`);
  const seeder = createDifyClient({ baseUrl: url, auth: { kind: 'password', email: BENCH_EMAIL, password: BENCH_PASSWORD }, redactor: new Redactor(), concurrency: 32 });
  const limit = pLimit(32);
  try {
    await Promise.all(
      names.map((name) =>
        limit(async () => {
          const result = await seeder.dsl.importOrThrow({ yamlContent: stringify(benchAppDsl(name)) });
          await seeder.versions.publish(result.app_id!);
        }),
      ),
    );
  } finally {
    await seeder.close();
  }
}

/** A repository with one `bench` environment at `url` whose manifests adopt the seeded apps. */
export async function writeBenchRepository(dir: string, url: string, names: readonly string[], policies?: Record<string, unknown>): Promise<void> {
  const config = {
    apiVersion: 'dify-gitops.dev/v1',
    kind: 'Config',
    environments: { bench: { url, auth: { emailEnv: 'BENCH_EMAIL', passwordEnv: 'BENCH_PASSWORD' } } },
    ...(policies === undefined ? {} : { policies }),
  };
  await writeFile(join(dir, 'dify-gitops.yaml'), stringify(config));
  for (const name of names) {
    const appDir = join(dir, 'workflows', name);
    await mkdir(appDir, { recursive: true });
    await writeFile(join(appDir, `${name}.dsl.yml`), stringify(benchAppDsl(name)));
    const manifest = { apiVersion: 'dify-gitops.dev/v1', kind: 'App', name, dsl: `${name}.dsl.yml`, environments: { bench: { target: { adopt: name } } } };
    await writeFile(join(appDir, 'app.yaml'), stringify(manifest));
  }
}

/** The simulator's request counters (GET /_simulator/requests). */
export async function simulatorRequests(url: string): Promise<{ total: number; byRoute: Record<string, number> }> {
  return (await (await fetch(`${url}/_simulator/requests`)).json()) as { total: number; byRoute: Record<string, number> };
}
