// Every command's definition (name, flags, help). Definitions are tiny and import nothing heavy;
// each action imports its implementation only when that command runs, so --help stays fast.
// To add a command: create src/cli/commands/<name>.ts exporting `define`, and list it here.

import type { Command } from 'commander';
import { define as apply } from './commands/apply.js';
import { define as broadcast } from './commands/broadcast.js';
import { define as checkOutput } from './commands/check-output.js';
import { define as demo } from './commands/demo.js';
import { define as diff } from './commands/diff.js';
import { define as fmt } from './commands/fmt.js';
import { define as history } from './commands/history.js';
import { define as plan } from './commands/plan.js';
import { define as preview } from './commands/preview.js';
import { define as reconcile } from './commands/reconcile.js';
import { define as recover } from './commands/recover.js';
import { define as rollback } from './commands/rollback.js';
import { define as rotate } from './commands/rotate.js';
import { define as runApp } from './commands/run.js';
import { define as serve } from './commands/serve.js';
import { define as simulator } from './commands/simulator.js';
import { define as validate } from './commands/validate.js';
import { define as watch } from './commands/watch.js';

export const commandDefinitions: ((program: Command) => void)[] = [
  apply,
  broadcast,
  checkOutput,
  demo,
  diff,
  fmt,
  history,
  plan,
  preview,
  reconcile,
  recover,
  rollback,
  rotate,
  runApp,
  serve,
  simulator,
  validate,
  watch,
];
