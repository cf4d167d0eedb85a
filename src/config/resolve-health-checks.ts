// Health checks of one app: checked against the DSL (inputs exist, required inputs given, named
// outputs exist, query only where the mode takes one) and against the output schemas, then
// resolved with defaults into the HealthCheck the health module runs.

import { posix } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { report, type AppContext } from './app-context.js';
import { suggestion } from './field-path.js';
import { parseDuration } from './resolve-policies.js';
import type { HealthCheck, HealthSubject, OutputSchema } from './types.js';
import type { WrittenHealthCheck } from './written-types.js';

const CHAT_MODES = new Set(['chat', 'agent-chat', 'advanced-chat']);
const DEFAULT_TIMEOUT = '60s';

export interface SchemaCatalog {
  byName: ReadonlyMap<string, OutputSchema>;
  byFile: ReadonlyMap<string, OutputSchema>;
  /** Every name in the output-schema directory → its file, compiled or not. */
  files: ReadonlyMap<string, string>;
  /** Files that exist but failed to compile: referencing them is not "unknown". */
  broken: ReadonlySet<string>;
}

/** A schema reference that is a path (has a `/` or a file extension) → repo-relative file; names → undefined. */
export function schemaRefPath(ref: string, manifestFile: string): string | undefined {
  if (!ref.includes('/') && !/\.(ya?ml|json)$/.test(ref)) return undefined;
  return posix.normalize(posix.join(posix.dirname(manifestFile), ref));
}

export function resolveHealthChecks(ctx: AppContext, manifestFile: string, catalog: SchemaCatalog): { checks: (HealthCheck & { environments: string[] | undefined })[]; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const checks: (HealthCheck & { environments: string[] | undefined })[] = [];
  const seen = new Set<string>();
  for (const [index, written] of (ctx.manifest.healthChecks ?? []).entries()) {
    const at = ['healthChecks', index];
    if (seen.has(written.name)) report(ctx, out, [...at, 'name'], 'error', 'health-duplicate-name', `another health check is already named \`${written.name}\``);
    seen.add(written.name);
    const before = out.length;
    checkEnvironments(ctx, out, written, at);
    checkRequest(ctx, out, written, at);
    const subject = checkSubject(ctx, out, written, at);
    const schema = resolveSchema(ctx, out, written, at, manifestFile, catalog);
    checkExpectations(ctx, out, written, at);
    if (out.slice(before).some((d) => d.severity === 'error') || ctx.facts.mode === undefined) continue;

    const attempts = written.attempts ?? 1;
    const e = written.expect;
    checks.push({
      name: written.name,
      description: written.description,
      environments: written.environments,
      mode: ctx.facts.mode,
      inputs: written.inputs ?? {},
      query: written.query,
      responseMode: written.responseMode ?? (ctx.facts.mode === 'agent-chat' ? 'streaming' : 'blocking'),
      attempts,
      minPasses: written.minPasses ?? attempts,
      timeoutMs: parseDuration(written.timeout ?? DEFAULT_TIMEOUT),
      expect: {
        status: e.status ?? (ctx.facts.mode === 'workflow' || ctx.facts.mode === 'advanced-chat' ? 'succeeded' : undefined),
        subject,
        json: e.json === true || e.schema !== undefined,
        schema,
        contains: toList(e.contains),
        notContains: toList(e.notContains),
        regex: e.regex,
        maxLatencyMs: e.maxLatencyMs,
        maxTokens: e.maxTokens,
      },
    });
  }
  return { checks, diagnostics: out };
}

function checkEnvironments(ctx: AppContext, out: Diagnostic[], check: WrittenHealthCheck, at: (string | number)[]): void {
  const appEnvironments = Object.keys(ctx.manifest.environments);
  for (const [i, name] of (check.environments ?? []).entries()) {
    if (!appEnvironments.includes(name)) {
      report(ctx, out, [...at, 'environments', i], 'error', 'env-unknown', `the app is not deployed to environment \`${name}\`${suggestion(name, appEnvironments)}`);
    }
  }
}

function checkRequest(ctx: AppContext, out: Diagnostic[], check: WrittenHealthCheck, at: (string | number)[]): void {
  const { facts } = ctx;
  if (facts.mode === undefined) return;
  if (CHAT_MODES.has(facts.mode) && check.query === undefined) {
    report(ctx, out, at, 'error', 'health-query-missing', `${facts.mode} apps answer a user message: set \`query\``, { key: true });
  }
  if (facts.mode === 'workflow' && check.query !== undefined) {
    report(ctx, out, [...at, 'query'], 'error', 'health-query-unexpected', 'workflow apps take no `query`; pass values under `inputs`', { key: true });
  }
  if (facts.mode === 'agent-chat' && check.responseMode === 'blocking') {
    report(ctx, out, [...at, 'responseMode'], 'error', 'health-response-mode', 'agent-chat apps do not support blocking mode (Dify answers 400); use `streaming`');
  }
  const inputs = check.inputs ?? {};
  for (const name of Object.keys(inputs)) {
    if (!facts.inputs.has(name)) {
      report(ctx, out, [...at, 'inputs', name], 'error', 'health-input-unknown', `${ctx.dslFile} has no input variable \`${name}\`${suggestion(name, facts.inputs.keys())}`, { key: true });
    }
  }
  for (const [name, required] of facts.inputs) {
    if (required && !(name in inputs)) {
      report(ctx, out, at, 'error', 'health-input-missing', `required input \`${name}\` is not given under \`inputs\``, { key: true });
    }
  }
  if (check.minPasses !== undefined && check.minPasses > (check.attempts ?? 1)) {
    report(ctx, out, [...at, 'minPasses'], 'error', 'health-pass-rule', `minPasses (${check.minPasses}) is more than attempts (${check.attempts ?? 1})`);
  }
}

function checkSubject(ctx: AppContext, out: Diagnostic[], check: WrittenHealthCheck, at: (string | number)[]): HealthSubject {
  const { facts } = ctx;
  const output = check.expect.output;
  if (output === undefined) return facts.mode === 'workflow' ? { kind: 'outputs' } : { kind: 'answer' };
  if (facts.mode !== 'workflow') {
    report(ctx, out, [...at, 'expect', 'output'], 'error', 'health-output-wrong-mode', `${facts.mode ?? 'this'} apps reply with an answer; \`output\` names an end-node output of a workflow app`);
  } else if (!facts.outputs.has(output)) {
    report(ctx, out, [...at, 'expect', 'output'], 'error', 'health-output-unknown', `the end node of ${ctx.dslFile} has no output \`${output}\`${suggestion(output, facts.outputs)}`);
  }
  return { kind: 'output', name: output };
}

function resolveSchema(ctx: AppContext, out: Diagnostic[], check: WrittenHealthCheck, at: (string | number)[], manifestFile: string, catalog: SchemaCatalog): OutputSchema | undefined {
  const ref = check.expect.schema;
  if (ref === undefined) return undefined;
  const path = schemaRefPath(ref, manifestFile);
  const schema = path === undefined ? catalog.byName.get(ref) : catalog.byFile.get(path);
  if (schema !== undefined) return schema;
  const file = path ?? catalog.files.get(ref);
  if (file !== undefined && catalog.broken.has(file)) {
    report(ctx, out, [...at, 'expect', 'schema'], 'error', 'health-schema-invalid', `output schema ${file} has errors (reported in that file)`);
  } else {
    const hint = path === undefined ? suggestion(ref, catalog.files.keys()) : '';
    const known = path === undefined ? ` Known output schemas: ${[...catalog.files.keys()].join(', ') || '(none)'}.` : '';
    report(ctx, out, [...at, 'expect', 'schema'], 'error', 'health-schema-unknown', `no output schema \`${ref}\`${hint}.${known}`);
  }
  return undefined;
}

function checkExpectations(ctx: AppContext, out: Diagnostic[], check: WrittenHealthCheck, at: (string | number)[]): void {
  const e = check.expect;
  if (e.regex !== undefined) {
    try {
      new RegExp(e.regex);
    } catch (error) {
      report(ctx, out, [...at, 'expect', 'regex'], 'error', 'health-regex-invalid', `not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const mode = ctx.facts.mode;
  if (e.status !== undefined && (mode === 'chat' || mode === 'agent-chat' || mode === 'completion')) {
    report(ctx, out, [...at, 'expect', 'status'], 'error', 'health-status-wrong-mode', `${mode} apps have no workflow run status`);
  }
  const timeoutMs = parseDuration(check.timeout ?? DEFAULT_TIMEOUT);
  if (e.maxLatencyMs !== undefined && e.maxLatencyMs > timeoutMs) {
    report(ctx, out, [...at, 'expect', 'maxLatencyMs'], 'warning', 'health-latency-above-timeout', `maxLatencyMs (${e.maxLatencyMs}) is above the timeout (${timeoutMs} ms), so it can never fail`);
  }
}

function toList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}
