// Finds an output schema by name among the repository's output schemas and compiles it for
// enforceOutput. The config layer keeps only a `check` function per schema; enforceOutput wants
// the ajv validator, so the repository's schema files are compiled again here, all together (so
// `$ref`s between them resolve) with the names the config gave them.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LoadedRepository } from '../config/types.js';
import { formatDiagnostic } from '../diagnostics.js';
import { UsageError } from '../errors.js';
import { compileOutputSchemas } from '../output/index.js';
import type { OutputCheck } from './assess-output.js';

export async function loadOutputCheck(repo: LoadedRepository, name: string, output?: string): Promise<OutputCheck> {
  const wanted = repo.outputSchemas.find((s) => s.name === name);
  if (wanted === undefined) {
    const names = repo.outputSchemas.filter((s) => !s.name.includes('/')).map((s) => s.name).sort();
    throw new UsageError(`unknown output schema \`${name}\`; the repository has ${names.length === 0 ? 'none' : names.join(', ')}`);
  }
  const files = await Promise.all(repo.outputSchemas.map(async (s) => ({ name: s.name, path: s.file, text: await readFile(resolve(repo.root, s.file), 'utf8') })));
  const { registry, diagnostics } = compileOutputSchemas(files);
  const compiled = registry.get(name);
  if (compiled === undefined) {
    throw new UsageError(`output schema \`${name}\` (${wanted.file}) does not compile:\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
  }
  return { name, validate: compiled.validate, ...(output === undefined ? {} : { output }) };
}
