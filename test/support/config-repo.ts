// Temporary dify-gitops repositories on the real filesystem for config-loading tests: a small
// valid baseline (two environments, one workflow app with secret/string/number env vars, one
// output schema) that each test changes file by file.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const BASE_CONFIG = `apiVersion: dify-gitops.dev/v1
kind: Config
environments:
  dev:
    url: http://127.0.0.1:5001
    dev: true
    auth:
      emailEnv: DEV_EMAIL
      passwordEnv: DEV_PASSWORD
  prod:
    url: https://dify.example.com
    auth:
      adminApiKeyEnv: PROD_ADMIN_KEY
      workspaceId: 0b6c1c1e-5d0a-4a0b-9a52-2a7c8d9e0f11
    expect:
      dslVersion: 0.6.0
    policies:
      drift: heal
policies:
  sync: manual
  reconcileInterval: 90s
`;

export const BASE_MANIFEST = `apiVersion: dify-gitops.dev/v1
kind: App
name: triage
dsl: triage.dsl.yml
tags: [support]
secrets:
  API_TOKEN: { keepLive: true }
environments:
  dev:
    target: { create: true }
  prod:
    target: { appId: 3F2504E0-4F89-41D3-9A0C-0305E82C3301 }
    overrides:
      envVars:
        BASE_URL: https://tickets.example.com
        MAX_WORDS: 25
      nodes:
        classify:
          /model/name: gpt-4o
    secrets:
      API_TOKEN: { env: PROD_API_TOKEN }
healthChecks:
  - name: triages
    inputs:
      ticket: I was charged twice.
    attempts: 3
    minPasses: 2
    expect:
      output: result
      schema: triage
`;

export const BASE_DSL = `app:
  mode: workflow
  name: Triage
kind: app
version: 0.6.0
workflow:
  environment_variables:
  - id: 11111111-1111-4111-8111-111111111111
    name: API_TOKEN
    value: ''
    value_type: secret
  - id: 22222222-2222-4222-8222-222222222222
    name: BASE_URL
    value: https://tickets.dev.example.com
    value_type: string
  - id: 33333333-3333-4333-8333-333333333333
    name: MAX_WORDS
    value: 40
    value_type: integer
  conversation_variables: []
  features: {}
  graph:
    edges:
    - id: start-source-classify-target
      source: start
      sourceHandle: source
      target: classify
      targetHandle: target
    - id: classify-source-end-target
      source: classify
      sourceHandle: source
      target: end
      targetHandle: target
    nodes:
    - id: start
      data:
        type: start
        title: Start
        variables:
        - variable: ticket
          label: Ticket
          type: paragraph
          required: true
    - id: classify
      data:
        type: llm
        title: Classify
        model:
          provider: langgenius/openai/openai
          name: gpt-4o-mini
          mode: chat
          completion_params:
            temperature: 0
        prompt_template:
        - role: system
          text: 'Classify for {{#env.BASE_URL#}} in {{#env.MAX_WORDS#}} words. RESPOND: {"category": "billing"}'
        - role: user
          text: '{{#start.ticket#}}'
    - id: end
      data:
        type: end
        title: End
        outputs:
        - variable: result
          value_selector: [classify, text]
          value_type: string
`;

export const BASE_SCHEMA = `type: object
required: [category]
properties:
  category: { type: string, enum: [billing, bug, other] }
`;

export const BASE_FILES: Readonly<Record<string, string>> = {
  'dify-gitops.yaml': BASE_CONFIG,
  'workflows/triage/app.yaml': BASE_MANIFEST,
  'workflows/triage/triage.dsl.yml': BASE_DSL,
  'schemas/outputs/triage.schema.yaml': BASE_SCHEMA,
};

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes the files (path → text; `null` deletes a baseline file) into a fresh temp directory. */
export function makeRepo(files: Readonly<Record<string, string | null>> = {}, options: { base?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'dify-gitops-config-'));
  created.push(root);
  const all: Record<string, string | null> = { ...(options.base === false ? {} : BASE_FILES), ...files };
  for (const [path, text] of Object.entries(all)) {
    if (text === null) continue;
    const absolute = join(root, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
  }
  return root;
}

/** Replaces one exact snippet of a baseline file (fails loudly when the snippet is not there). */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`snippet not found: ${from}`);
  return text.replace(from, to);
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`not found: ${needle}`);
  return index + 1;
}
