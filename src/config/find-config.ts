// Where dify-gitops.yaml is: `--config` first, then $DIFY_GITOPS_CONFIG, then the working
// directory and its parents up to the git root (like git finds .git), so commands work from any
// subdirectory of the repository.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DifyGitopsError } from '../errors.js';

export const CONFIG_FILE_NAMES = ['dify-gitops.yaml', 'dify-gitops.yml'] as const;
export const CONFIG_ENV_VAR = 'DIFY_GITOPS_CONFIG';

export class ConfigNotFoundError extends DifyGitopsError {
  constructor(message: string) {
    super('E_CONFIG_NOT_FOUND', message);
  }
}

export function findConfigFile(options: { cwd: string; configPath?: string | undefined; env?: Readonly<Record<string, string | undefined>> }): string {
  const explicit = options.configPath ?? nonEmpty(options.env?.[CONFIG_ENV_VAR]);
  if (explicit !== undefined) {
    const path = resolve(options.cwd, explicit);
    const from = options.configPath !== undefined ? '--config' : `$${CONFIG_ENV_VAR}`;
    if (!isFile(path)) throw new ConfigNotFoundError(`config file ${explicit} (from ${from}) does not exist`);
    return path;
  }
  let dir = resolve(options.cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) break;
    dir = parent;
  }
  throw new ConfigNotFoundError(
    `no dify-gitops.yaml in ${options.cwd} or its parent directories; create one (see docs/repository-format.md) or pass --config <path>`,
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
