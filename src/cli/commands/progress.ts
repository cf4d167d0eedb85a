// "apps done / total" on one rewritten stderr line, only on an interactive terminal; quiet
// otherwise (CI logs stay clean).

import type { CliContext } from '../context.js';

export function progressReporter(ctx: CliContext, label: string): { update(done: number, total: number): void; done(): void } {
  let shown = false;
  return {
    update(done, total) {
      if (!ctx.isTTY) return;
      shown = true;
      ctx.err(`\r${label}: ${done}/${total} apps`);
    },
    done() {
      if (shown) ctx.err('\r\x1b[2K');
      shown = false;
    },
  };
}
