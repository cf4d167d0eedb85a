// The `npm start` chapter on key rotation, as one function the demo (src/demo, the lead's) calls:
// an app key is issued to a file sink, then rotated while a caller keeps calling the service API
// with whatever key the file holds at that moment. It prints how many calls were made and failed
// (zero), which keys the caller saw, and what the ledger holds (ids, never values).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectEnvironment } from '../apply/connect.js';
import type { AppKeyRotation, LoadedRepository } from '../config/types.js';
import { createGitHubClient } from '../github/client.js';
import type { Redactor } from '../secrets/redactor.js';
import { readLedger } from './ledger.js';
import { rotateDue } from './rotate-due.js';

export interface KeyRotationDemoInput {
  repo: LoadedRepository;
  /** An environment of `repo` where `app` is deployed (found like plan/apply find it). */
  environment: string;
  app: string;
  connect: ConnectEnvironment;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  /** The state directory; the file sink goes to `<stateDir>/demo-sinks/<app>.key`. */
  stateDir: string;
  say(line: string): void;
  ok(line: string): void;
}

export interface KeyRotationDemoResult {
  calls: number;
  failures: number;
  keysSeen: number;
}

export async function demoKeyRotation(input: KeyRotationDemoInput): Promise<KeyRotationDemoResult> {
  const sinkPath = join(input.stateDir, 'demo-sinks', `${input.app}.key`);
  const secret: AppKeyRotation = {
    name: `${input.app}-demo-key`,
    kind: 'appApiKey',
    environment: input.environment,
    app: input.app,
    schedule: undefined,
    sinks: [{ kind: 'file', path: sinkPath, display: `${input.app}.key (state directory)` }],
    gracePeriodMs: 600,
    quietPeriodMs: 400,
    maxWaitMs: 10_000,
  };
  const deps = {
    repo: { ...input.repo, rotations: [secret] },
    stateDir: input.stateDir,
    connect: input.connect,
    redactor: input.redactor,
    env: input.env,
    now: () => new Date(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    log: () => undefined,
    wait: true,
    pollMs: 100,
    github: (token: string) => createGitHubClient({ token, redactor: input.redactor }),
    lockWaitMs: 0,
    breakStaleLock: false,
  };
  const environment = input.repo.environments.find((e) => e.name === input.environment);
  if (environment === undefined) throw new Error(`demoKeyRotation: no environment ${input.environment}`);
  const client = await input.connect(environment);

  const issued = await rotateDue(deps, { force: true });
  input.ok(`issued ${input.app}'s first managed key ${issued.results[0]?.currentVersion ?? '?'} into a 0600 file sink`);

  const seen = new Set<string>();
  let calls = 0;
  let failures = 0;
  let running = true;
  const caller = (async () => {
    while (running) {
      const key = (await readFile(sinkPath, 'utf8')).trim();
      try {
        await client.service(key).info();
        seen.add(key);
        calls++;
      } catch {
        failures++;
      }
    }
  })();
  input.say('a caller now calls GET /v1/info in a loop, re-reading the key file before every call; rotating…');
  let rotated;
  try {
    rotated = await rotateDue(deps, { force: true });
  } finally {
    running = false;
    await caller;
  }
  const result = rotated.results[0];
  input.say(`create → test (proved on the service API) → set (delivered) → finish (grace ${secret.gracePeriodMs} ms, then the old key's last_used_at stayed still ${secret.quietPeriodMs} ms)`);
  input.ok(`${result?.outcome ?? 'failed'}: ${result?.message ?? ''}`);
  input.ok(`the caller made ${calls} calls with ${seen.size} different keys: ${failures} failed`);
  const ledger = await readLedger(input.stateDir, secret.name);
  input.say(`ledger rotation/${secret.name}.json: current ${ledger?.current?.versionId ?? '-'}, previous ${ledger?.previous?.versionId ?? '-'} (key ids only; the token lives in Dify and the sink)`);
  return { calls, failures, keysSeen: seen.size };
}
