// The leak check of rotation tests: every file under the repository (state directory included)
// and the sink directory, every progress line, and the simulator's request log are searched for
// secret values. Only the files a test names as intended sinks may contain them.

import { readFile } from 'node:fs/promises';
import type { RotationWorld } from './rotation-world.js';
import { filesUnder } from './files-under.js';

/** Where any of `secrets` was found, outside the `allow`ed files; also `extra` texts (captured output). */
export async function scanForSecrets(world: RotationWorld, secrets: readonly string[], options: { allow?: string[]; extra?: Record<string, string> } = {}): Promise<string[]> {
  const found: string[] = [];
  const check = (where: string, text: string): void => {
    for (const secret of secrets) if (text.includes(secret)) found.push(`${where} contains ${secret.slice(0, 8)}…`);
  };
  const files = [...(await filesUnder(world.repo.dir)), ...(await filesUnder(world.sinkDir))];
  if (files.length === 0) found.push('no files scanned');
  for (const file of files) {
    if (options.allow?.includes(file)) continue;
    check(file, await readFile(file, 'latin1'));
  }
  check('progress log', world.logs.join('\n'));
  check('simulator request log', JSON.stringify(world.sim.requests));
  for (const [where, text] of Object.entries(options.extra ?? {})) check(where, text);
  return found;
}
