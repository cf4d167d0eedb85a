// The demo never touches the user's checkout: it copies the example repository (config,
// workflows, schemas) into a temporary directory, starts one in-process simulator per
// environment, and returns the process environment that points the config at them. Secrets are
// freshly generated per run and registered with the redactor before anything can print them.

import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../simulator/server.js';
import type { LoadedRepository } from '../config/types.js';
import type { Redactor } from '../secrets/redactor.js';

export interface DemoWorkspace {
  /** The temporary repository root. */
  root: string;
  env: NodeJS.ProcessEnv;
  simulators: Record<string, Simulator>;
  close(): Promise<void>;
}

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const COPIED = ['dify-gitops.yaml', 'workflows', 'schemas'];

/** Gives every secret bound to an environment variable a fresh random value, registered for redaction. */
export function fillSecretEnv(repo: LoadedRepository, env: NodeJS.ProcessEnv, redactor: Redactor): string[] {
  const filled: string[] = [];
  for (const desired of repo.desired) {
    for (const binding of desired.secrets) {
      if (binding.keepLive || !('env' in binding.source)) continue;
      const name = binding.source.env;
      if (env[name] !== undefined && env[name] !== '') continue;
      env[name] = redactor.add(`demo-${binding.variable.toLowerCase()}-${randomBytes(12).toString('hex')}`);
      filled.push(name);
    }
  }
  return filled.sort();
}

export async function createDemoWorkspace(sourceRoot: string, redactor: Redactor): Promise<DemoWorkspace> {
  const root = await mkdtemp(join(tmpdir(), 'dify-gitops-demo-'));
  for (const entry of COPIED) await cp(join(sourceRoot, entry), join(root, entry), { recursive: true });

  const env: NodeJS.ProcessEnv = { ...process.env };
  const simulators: Record<string, Simulator> = {};
  for (const name of ENVIRONMENTS) {
    const upper = name.toUpperCase();
    const email = `${name}-admin@example.com`;
    const password = redactor.add(`demo-${randomBytes(9).toString('base64url')}`);
    simulators[name] = await startSimulator({ port: 0, email, password, onError: () => undefined });
    env[`DIFY_${upper}_URL`] = simulators[name].url;
    env[`DIFY_${upper}_EMAIL`] = email;
    env[`DIFY_${upper}_PASSWORD`] = password;
  }
  return {
    root,
    env,
    simulators,
    async close() {
      await Promise.all(Object.values(simulators).map((sim) => sim.close()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
