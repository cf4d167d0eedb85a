// Commands other than `validate` need a repository without errors. This turns the diagnostics of
// an invalid one into a single error (exit 1) listing them, so plan/apply refuse to start.

import { formatDiagnostic } from '../diagnostics.js';
import { DifyGitopsError } from '../errors.js';
import type { LoadedRepository } from './types.js';

/** How many problems the error message lists before "… and N more" (`validate` shows all). */
const LISTED = 20;

export class RepositoryInvalidError extends DifyGitopsError {
  readonly repository: LoadedRepository;

  constructor(repository: LoadedRepository) {
    const errors = repository.diagnostics.filter((d) => d.severity === 'error');
    const listed = errors.slice(0, LISTED).map((d) => `  ${formatDiagnostic(d)}`);
    const more = errors.length > LISTED ? [`  … and ${errors.length - LISTED} more (run \`dify-gitops validate\`)`] : [];
    super('E_REPOSITORY_INVALID', [`the repository has ${errors.length} error${errors.length === 1 ? '' : 's'}:`, ...listed, ...more].join('\n'));
    this.repository = repository;
  }
}

export function requireValidRepository(repository: LoadedRepository): LoadedRepository {
  if (!repository.valid) throw new RepositoryInvalidError(repository);
  return repository;
}
