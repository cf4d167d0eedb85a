#!/usr/bin/env node
// CLI entry: builds the commander program from the command registry and runs it.
import { Command } from 'commander';
import { reflowDescription } from './help-text.js';
import { packageVersion } from './package-info.js';
import { commandDefinitions } from './registry.js';

const program = new Command('dify-gitops')
  .description('Workflow-as-code GitOps for Dify: plan, apply with health-gated rollback, reconcile drift, rotate secrets.')
  .version(packageVersion(), '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .configureHelp({ sortSubcommands: true, commandDescription: (cmd) => reflowDescription(cmd.description()) });

for (const define of commandDefinitions) define(program);

await program.parseAsync(process.argv);
