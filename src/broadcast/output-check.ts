// Finds an output schema by name among the repository's output schemas, which the config layer
// compiled once (all together, so `$ref`s between them resolve), and wraps its validator for
// enforceOutput.

import type { LoadedRepository } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { OutputCheck } from './assess-output.js';

export function loadOutputCheck(repo: LoadedRepository, name: string, output?: string): OutputCheck {
  const wanted = repo.outputSchemas.find((s) => s.name === name);
  if (wanted === undefined) {
    const names = repo.outputSchemas.filter((s) => !s.name.includes('/')).map((s) => s.name).sort();
    throw new UsageError(`unknown output schema \`${name}\`; the repository has ${names.length === 0 ? 'none' : names.join(', ')}`);
  }
  return { name, validate: wanted.validate, ...(output === undefined ? {} : { output }) };
}
