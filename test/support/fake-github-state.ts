// The in-memory state behind fake-github: issue comments, check runs with their accumulated
// annotations, deployments with statuses, issues, and Actions secrets sealed to a real libsodium
// key pair per repository and per environment (so tests can decrypt what was stored).

import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers';

export interface FakeComment {
  id: number;
  node_id: string;
  issue_number: number;
  body: string;
  user: { login: string };
  created_at: string;
  updated_at: string;
  html_url: string;
  /** Set by the GraphQL minimizeComment mutation. */
  minimized: { classifier: string } | null;
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: string;
  message: string;
  title?: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  output: { title: string | null; summary: string | null };
  annotations: FakeAnnotation[];
  /** Annotation counts of each request that carried annotations. */
  batches: number[];
}

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  log_url: string;
  environment_url: string;
  created_at: string;
}

export interface FakeDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  description: string | null;
  auto_merge: boolean;
  required_contexts: string[] | undefined;
  transient_environment: boolean;
  production_environment: boolean;
  payload: unknown;
  created_at: string;
  statuses: FakeDeploymentStatus[];
}

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
}

export interface FakeGitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

export interface FakeGit {
  /** `heads/main` → commit sha. */
  refs: Map<string, string>;
  commits: Map<string, FakeGitCommit>;
  /** Tree sha → file path → content (flat: a tree here is a whole snapshot). */
  trees: Map<string, Map<string, string>>;
}

export interface FakePull {
  id: number;
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
}

export interface FakeSecret {
  encrypted_value: string;
  key_id: string;
  updated_at: string;
}

export interface SealingKey {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export interface FakeGitHubState {
  comments: FakeComment[];
  checkRuns: FakeCheckRun[];
  deployments: FakeDeployment[];
  issues: FakeIssue[];
  git: FakeGit;
  pulls: FakePull[];
  /** Environments that exist; secrets of others answer 404. */
  environments: Set<string>;
  repoSecrets: Map<string, FakeSecret>;
  environmentSecrets: Map<string, Map<string, FakeSecret>>;
  repoKey: SealingKey;
  environmentKey(environment: string): SealingKey;
  nextId(): number;
  /** A deterministic clock: each call is one second after the previous. */
  now(): string;
  decryptSecret(name: string, environment?: string): string | undefined;
}

/** libsodium must be ready (startFakeGitHub awaits sodium.ready). */
export function createFakeGitHubState(): FakeGitHubState {
  let id = 1000;
  let tick = Date.parse('2025-01-01T00:00:00Z');
  const environmentKeys = new Map<string, SealingKey>();
  const state: FakeGitHubState = {
    comments: [],
    checkRuns: [],
    deployments: [],
    issues: [],
    git: initialGit(),
    pulls: [],
    environments: new Set(['production', 'staging']),
    repoSecrets: new Map(),
    environmentSecrets: new Map(),
    repoKey: newKey(),
    environmentKey(environment) {
      let key = environmentKeys.get(environment);
      if (key === undefined) environmentKeys.set(environment, (key = newKey()));
      return key;
    },
    nextId: () => ++id,
    now: () => new Date((tick += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    decryptSecret(name, environment) {
      const secret = environment === undefined ? state.repoSecrets.get(name) : state.environmentSecrets.get(environment)?.get(name);
      if (secret === undefined) return undefined;
      const key = environment === undefined ? state.repoKey : state.environmentKey(environment);
      return unseal(secret.encrypted_value, key);
    },
  };
  return state;
}

/** Opens a sealed box; undefined when it was not sealed to this key. */
export function unseal(encryptedBase64: string, key: SealingKey): string | undefined {
  try {
    const sealed = sodium.from_base64(encryptedBase64, sodium.base64_variants.ORIGINAL);
    return sodium.to_string(sodium.crypto_box_seal_open(sealed, key.publicKey, key.privateKey));
  } catch {
    return undefined;
  }
}

/** A sha for any JSON-able value: content-addressed like git, not git's exact bytes. */
export function gitSha(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

/** `main` with one commit holding a README. */
function initialGit(): FakeGit {
  const files = new Map([['README.md', '# dify-apps\n']]);
  const tree = gitSha([...files]);
  const commit: FakeGitCommit = { sha: '', tree, parents: [], message: 'Initial commit' };
  commit.sha = gitSha(commit);
  return { refs: new Map([['heads/main', commit.sha]]), commits: new Map([[commit.sha, commit]]), trees: new Map([[tree, files]]) };
}

let keyCounter = 0;

function newKey(): SealingKey {
  const pair = sodium.crypto_box_keypair();
  keyCounter += 1;
  return { keyId: `568250167242549743${keyCounter}`, publicKey: pair.publicKey, privateKey: pair.privateKey };
}
