// What every sink gets: the key to deliver and the means to reach its destination. A sink writes
// the whole value or fails; writing the same value twice is harmless, so delivery is simply
// repeated when a run resumes.

import type { RotationSink } from '../../config/types.js';
import type { GitHub } from '../../github/client.js';
import type { Redactor } from '../../secrets/redactor.js';

export interface SinkContext {
  env: NodeJS.ProcessEnv;
  /** Working directory of sink commands (the repository root). */
  cwd: string;
  redactor: Redactor;
  /** Builds a GitHub client for a token (tests point it at the fake GitHub through GITHUB_API_URL). */
  /** May load the GitHub client lazily (octokit and libsodium cost ~25 MB in a long-running serve). */
  github: (token: string) => GitHub | Promise<GitHub>;
  /** Kills a sink command that runs longer than this. */
  commandTimeoutMs?: number;
}

export type SinkWriter = (sink: RotationSink, value: string, ctx: SinkContext) => Promise<void>;
