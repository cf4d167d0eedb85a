// Connects the Redactor to GitHub Actions log masking: inside Actions every secret dify-gitops
// reads is announced with `::add-mask::` the moment it is registered (and those registered
// before), so the runner hides it even in output that does not pass through our redactor
// (a child process, a library's own logging).

import * as core from '@actions/core';
import type { Redactor } from '../secrets/redactor.js';

export interface MaskOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Defaults to @actions/core's setSecret, which writes `::add-mask::<value>` to stdout. */
  setSecret?: (value: string) => void;
}

/** Returns true when masking was wired (GITHUB_ACTIONS=true), false elsewhere. */
export function maskSecretsInActions(redactor: Redactor, options: MaskOptions): boolean {
  if (options.env.GITHUB_ACTIONS !== 'true') return false;
  const setSecret = options.setSecret ?? core.setSecret;
  redactor.onSecret((value) => {
    setSecret(value);
    // The runner matches masks line by line, so a multi-line secret is also masked per line.
    if (/[\r\n]/.test(value)) {
      for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) setSecret(line);
    }
  });
  return true;
}
