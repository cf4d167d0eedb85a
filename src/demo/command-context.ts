// The CliContext the demo hands to real command implementations: the demo workspace as cwd and
// environment, output indented under the current chapter, and no terminal progress.

import type { CliContext } from '../cli/context.js';
import type { DemoWorkspace } from './workspace.js';

export function commandContext(ctx: CliContext, ws: DemoWorkspace): CliContext {
  const indent = (text: string): string => text.replace(/^(?=.)/gm, '    ');
  return { ...ctx, isTTY: false, cwd: ws.root, env: ws.env, out: (text) => ctx.out(indent(text)), err: (text) => ctx.err(indent(text)) };
}
