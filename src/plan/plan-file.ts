// The saved plan (`plan --out plan.json`, `apply --plan plan.json`): the Plan object plus a kind
// and format version. It carries digests of desired and live state per entry, never a secret
// value (plans are computed without reading any). Parsing checks the shape with ajv and names the
// file and field of every problem. Pure.

import { Ajv } from 'ajv';
import { InputError } from '../errors.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

export const PLAN_FILE_KIND = 'dify-gitops-plan';

const ENTRY_SCHEMA = {
  type: 'object',
  required: ['environment', 'app', 'appId', 'mode', 'action', 'changes', 'blocked', 'summary', 'digests'],
  properties: {
    environment: { type: 'string' },
    app: { type: 'string' },
    appId: { type: ['string', 'null'] },
    action: { enum: ['create', 'update', 'update-model-config', 'replace-required', 'no-op', 'draft-only-drift', 'error'] },
    changes: { type: 'boolean' },
    blocked: { type: 'boolean' },
    digests: {
      type: 'object',
      required: ['desired', 'live'],
      properties: { desired: { type: 'string' }, live: { type: 'string' } },
    },
  },
} as const;

const FILE_SCHEMA = {
  type: 'object',
  required: ['kind', 'formatVersion', 'createdAt', 'entries'],
  properties: {
    kind: { const: PLAN_FILE_KIND },
    formatVersion: { const: PLAN_FORMAT_VERSION },
    createdAt: { type: 'string' },
    revision: {
      type: ['object', 'null'],
      required: ['id', 'subject'],
      properties: { id: { type: 'string' }, subject: { type: 'string' } },
    },
    servers: { type: 'object' },
    entries: { type: 'array', items: ENTRY_SCHEMA },
  },
} as const;

const validateFile = new Ajv({ allErrors: true, strict: false }).compile(FILE_SCHEMA);

export function serializePlanFile(plan: Plan): string {
  return `${JSON.stringify({ kind: PLAN_FILE_KIND, ...plan }, null, 2)}\n`;
}

export function parsePlanFile(text: string, file: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError('E_PLAN_FILE', `not a plan file: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  if (typeof value === 'object' && value !== null && 'formatVersion' in value && value.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new InputError('E_PLAN_FILE', `plan format version ${String(value.formatVersion)} is not supported (this dify-gitops reads version ${PLAN_FORMAT_VERSION}); re-run plan`, { file });
  }
  if (!validateFile(value)) {
    const problems = (validateFile.errors ?? []).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`);
    throw new InputError('E_PLAN_FILE', `not a dify-gitops plan file: ${problems.join('; ')}`, { file });
  }
  const { kind: _kind, ...plan } = value as Plan & { kind: string };
  return { ...plan, servers: plan.servers ?? {}, revision: plan.revision ?? null };
}
