// DSL export, import, confirm and check-dependencies (contract §3, §4). Import and confirm answer
// with an Import body for 200 (completed…), 202 (pending) and 400 (failed); all three come back
// as a typed ImportResult. `importOrThrow`/`confirmOrThrow` raise DifyImportFailedError instead
// of returning a failed result. A 400 without an Import body (e.g. an invalid `mode`) is an error.

import { createHttpError } from '../error-translation.js';
import { DifyImportFailedError } from '../errors.js';
import { arrayOf, defineShape, nullable, obj, str } from '../shapes.js';
import type { TransportResponse } from '../transport.js';
import type { ImportInput, ImportResult, PluginDependency } from '../types.js';
import { appPath, type ConsoleContext } from './context.js';

const EXPORT = defineShape<{ data: string }>('export', obj({ data: str }));
const IMPORT = defineShape<ImportResult>(
  'Import',
  obj(
    { id: str, status: { enum: ['completed', 'completed-with-warnings', 'pending', 'failed'] }, app_id: nullable(str) },
    { error: nullable(str) },
  ),
);
const DEPENDENCIES = defineShape<{ leaked_dependencies: PluginDependency[] }>(
  'dependency check',
  obj({ leaked_dependencies: arrayOf(obj({ type: str })) }),
);

export interface ExportOptions {
  /** A published version to export (≥1.8.1); the draft when absent. */
  workflowId?: string;
  /** Include secret env values in plaintext. The caller must register them with the redactor. */
  includeSecret?: boolean;
}

export interface DslApi {
  /** The app's DSL YAML. */
  export(appId: string, options?: ExportOptions): Promise<string>;
  /** Imports YAML as a new app or over `appId`; a failed import is a result with status `failed`. */
  import(input: ImportInput): Promise<ImportResult>;
  /** Like import, but a `failed` result is thrown as DifyImportFailedError. */
  importOrThrow(input: ImportInput): Promise<ImportResult>;
  /** Confirms a pending import (once, within Dify's 600 s TTL). */
  confirm(importId: string): Promise<ImportResult>;
  confirmOrThrow(importId: string): Promise<ImportResult>;
  /** Plugins the imported app needs that are not installed (≥1.0.0; keyed by app id). */
  checkDependencies(appId: string): Promise<PluginDependency[]>;
}

export function createDslApi(ctx: ConsoleContext): DslApi {
  function importResult(res: TransportResponse): ImportResult {
    if (res.status === 400) {
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        body = undefined;
      }
      const isImport = body !== null && typeof body === 'object' && 'id' in body && 'status' in body;
      if (!isImport) throw createHttpError({ ...res, attempts: res.attempts }, ctx.redactor);
    }
    const result = ctx.parse(res, IMPORT);
    return { ...result, error: ctx.redactor.redact(result.error ?? '') };
  }

  function orThrow(result: ImportResult, res: { method: string; endpoint: string }): ImportResult {
    if (result.status !== 'failed') return result;
    throw new DifyImportFailedError({
      method: res.method,
      endpoint: res.endpoint,
      status: 400,
      code: 'import_failed',
      detail: result.error === '' ? 'import failed' : result.error,
      result,
    });
  }

  async function doImport(input: ImportInput): Promise<{ result: ImportResult; res: TransportResponse }> {
    const { yamlContent, appId, ...overrides } = input;
    const json: Record<string, unknown> = { mode: 'yaml-content', yaml_content: yamlContent, ...overrides };
    if (appId !== undefined) json.app_id = appId;
    const res = await ctx.send({ method: 'POST', path: '/apps/imports', json, okStatuses: [400] });
    return { result: importResult(res), res };
  }

  async function doConfirm(importId: string): Promise<{ result: ImportResult; res: TransportResponse }> {
    const path = `/apps/imports/${encodeURIComponent(importId)}/confirm`;
    const res = await ctx.send({ method: 'POST', path, okStatuses: [400] });
    return { result: importResult(res), res };
  }

  return {
    async export(appId, options = {}) {
      if (options.workflowId !== undefined) await ctx.require('exportWorkflowId', 'exporting a published version (workflow_id)', '1.8.1');
      const query = { include_secret: options.includeSecret === true ? 'true' : 'false', workflow_id: options.workflowId };
      return (await ctx.json({ method: 'GET', path: appPath(appId, '/export'), query }, EXPORT)).data;
    },
    import: async (input) => (await doImport(input)).result,
    async importOrThrow(input) {
      const { result, res } = await doImport(input);
      return orThrow(result, res);
    },
    confirm: async (importId) => (await doConfirm(importId)).result,
    async confirmOrThrow(importId) {
      const { result, res } = await doConfirm(importId);
      return orThrow(result, res);
    },
    async checkDependencies(appId) {
      await ctx.require('checkDependencies', 'check-dependencies', '1.0.0');
      const path = `/apps/imports/${encodeURIComponent(appId)}/check-dependencies`;
      return (await ctx.json({ method: 'GET', path }, DEPENDENCIES)).leaked_dependencies;
    },
  };
}
