// `dify-gitops check-output` implementation: find and compile the one output schema asked for,
// read the LLM output (file or stdin), enforce it (src/output), print the value and the reasons.
// Text format: the value on stdout (so it pipes into jq), the verdict and reasons on stderr.
// JSON format: the whole result on stdout. Exit 0 when the value may be used, 1 otherwise.

import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { formatDiagnostic, hasErrors } from '../../diagnostics.js';
import { errorMessage, InputError, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { enforceOutput, type EnforcedOutput, type FallbackPolicy } from '../../output/enforce-output.js';
import { compileOutputSchemas, outputSchemaName, type CompiledOutputSchema } from '../../output/schema-registry.js';
import type { CliContext } from '../context.js';

export interface CheckOutputOptions {
  schema: string;
  schemasDir: string;
  pointer?: string;
  fallback?: 'fail' | 'null' | 'default';
  default?: string;
  format: 'text' | 'json';
}

export interface CheckOutputDeps {
  stdin: AsyncIterable<string | Buffer> & { isTTY?: boolean };
}

/** LLM answers are small; anything larger is a mistake (a binary, a log) and is refused. */
const MAX_INPUT_BYTES = 10 * 1024 * 1024;
const SCHEMA_EXTENSIONS = ['.schema.yaml', '.schema.yml', '.schema.json', '.yaml', '.yml', '.json'];

export async function run(ctx: CliContext, file: string | undefined, options: CheckOutputOptions): Promise<ExitCode> {
  return checkOutput(ctx, file, options, { stdin: process.stdin });
}

export async function checkOutput(
  ctx: CliContext,
  file: string | undefined,
  options: CheckOutputOptions,
  deps: CheckOutputDeps,
): Promise<ExitCode> {
  const fallback = fallbackFrom(options);
  const schema = await loadSchema(ctx, options);
  if (schema === undefined) return ExitCode.Error;
  if (fallback.policy === 'default') {
    const problems = schema.check(fallback.value);
    if (problems.length > 0) {
      throw new UsageError(`--default does not satisfy the output schema \`${schema.name}\`: ${problems.join('; ')}`);
    }
  }

  const text = await readInput(ctx, file, deps);
  const raw = options.pointer === undefined ? text : valueAtPointer(text, options.pointer, file);
  const result = enforceOutput(raw, { schema: schema.validate, fallback });

  if (options.format === 'json') {
    const report = { ...result, schema: { name: schema.name, path: schema.path } };
    ctx.out(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    if (result.ok) ctx.out(`${JSON.stringify(result.value, null, 2)}\n`);
    ctx.err(renderVerdict(result, schema));
  }
  return result.ok ? ExitCode.Ok : ExitCode.Error;
}

function fallbackFrom(options: CheckOutputOptions): FallbackPolicy {
  const policy = options.fallback ?? (options.default === undefined ? 'fail' : 'default');
  if (options.default !== undefined && policy !== 'default') {
    throw new UsageError(`--default is only used with --fallback default (got --fallback ${policy})`);
  }
  if (policy !== 'default') return { policy };
  if (options.default === undefined) throw new UsageError('--fallback default needs --default <json>');
  try {
    return { policy, value: JSON.parse(options.default) as unknown };
  } catch (error) {
    throw new UsageError(`--default is not valid JSON: ${errorMessage(error)}`);
  }
}

async function loadSchema(ctx: CliContext, options: CheckOutputOptions): Promise<CompiledOutputSchema | undefined> {
  const found = findSchemaFile(ctx.cwd, options.schemasDir, options.schema);
  const text = await readFile(found.absolute, 'utf8');
  const { registry, diagnostics } = compileOutputSchemas([{ name: found.name, path: found.display, text }]);
  for (const d of diagnostics) ctx.err(`${formatDiagnostic(d)}\n`);
  if (hasErrors(diagnostics)) return undefined;
  return registry.get(found.name);
}

/** A reference with a `/` or a schema extension is a path; anything else a name in the schemas dir. */
function findSchemaFile(cwd: string, schemasDir: string, ref: string): { absolute: string; display: string; name: string } {
  const display = (absolute: string): string => relative(cwd, absolute).replace(/\\/g, '/') || absolute;
  if (/[\\/]/.test(ref) || /\.(ya?ml|json)$/i.test(ref)) {
    const absolute = isAbsolute(ref) ? ref : resolve(cwd, ref);
    if (!existsSync(absolute)) throw new UsageError(`--schema ${ref}: no such file`);
    return { absolute, display: display(absolute), name: outputSchemaName(absolute) };
  }
  const dir = resolve(cwd, schemasDir);
  for (const extension of SCHEMA_EXTENSIONS) {
    const absolute = join(dir, `${ref}${extension}`);
    if (existsSync(absolute)) return { absolute, display: display(absolute), name: ref };
  }
  const known = existsSync(dir)
    ? [...new Set(readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f)).map(outputSchemaName))].sort()
    : [];
  const hint = known.length > 0 ? `; schemas there: ${known.join(', ')}` : existsSync(dir) ? '; that directory has no schemas' : '; that directory does not exist';
  throw new UsageError(`--schema ${ref}: no ${ref}.schema.yaml (or .yml, .json) in ${display(dir)}${hint}`);
}

async function readInput(ctx: CliContext, file: string | undefined, deps: CheckOutputDeps): Promise<string> {
  if (file !== undefined && file !== '-') {
    const path = resolve(ctx.cwd, file);
    let buffer: Buffer;
    try {
      buffer = await readFile(path);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
    }
    if (buffer.length > MAX_INPUT_BYTES) throw new InputError('output-too-large', `${buffer.length} bytes; the limit is ${MAX_INPUT_BYTES}`, { file });
    return buffer.toString('utf8');
  }
  if (deps.stdin.isTTY === true) throw new UsageError('no input: give a file, or pipe the output into stdin');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of deps.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new InputError('output-too-large', `more than ${MAX_INPUT_BYTES} bytes`, { file: '<stdin>' });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `--pointer`: the input is a JSON document (a Dify response); pick one value out of it. */
function valueAtPointer(text: string, pointer: string, file: string | undefined): unknown {
  const where = { file: file === undefined || file === '-' ? '<stdin>' : file };
  if (pointer !== '' && !pointer.startsWith('/')) throw new UsageError(`--pointer must be a JSON Pointer such as /answer (got ${pointer})`);
  let node: unknown;
  try {
    node = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new InputError('output-not-json', `--pointer needs a JSON document as input: ${errorMessage(error)}`, where);
  }
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const [index, segment] of segments.entries()) {
    const next = childOf(node, segment);
    if (next === undefined) {
      const at = `/${segments.slice(0, index).join('/')}`;
      const keys = node !== null && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node) : [];
      const known = keys.length > 0 ? ` (keys at ${at}: ${keys.join(', ')})` : '';
      throw new InputError('output-pointer-missing', `nothing at ${pointer}${known}`, where);
    }
    node = next;
  }
  return node;
}

function childOf(node: unknown, segment: string): unknown {
  if (Array.isArray(node)) return /^(0|[1-9][0-9]*)$/.test(segment) ? (node as unknown[])[Number(segment)] : undefined;
  if (node !== null && typeof node === 'object') return Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
  return undefined;
}

function renderVerdict(result: EnforcedOutput, schema: CompiledOutputSchema): string {
  const against = `output schema ${schema.name} (${schema.path})`;
  const verdict = result.valid
    ? `valid${result.repaired ? ' after repair' : ''} against ${against}`
    : result.usedFallback
      ? `invalid against ${against}; used the fallback value`
      : `invalid against ${against}`;
  return [verdict, ...result.reasons.map((reason) => `  - ${reason}`)].join('\n') + '\n';
}
