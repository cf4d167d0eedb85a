// `dify-gitops simulator` implementation: validates the flags, starts the simulator, prints its
// one line and serves until SIGINT/SIGTERM (or the given abort signal), then closes cleanly.

import { once } from 'node:events';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { isProfileName, PROFILE_NAMES } from '../../simulator/profiles.js';
import { startSimulator, type SimulatorOptions } from '../../simulator/server.js';
import type { CliContext } from '../context.js';

export interface SimulatorFlags {
  port?: string | undefined;
  profile?: string | undefined;
  email?: string | undefined;
  password?: string | undefined;
  adminApiKey?: string | undefined;
  workspaceId?: string | undefined;
  latencyMs?: string | undefined;
  state?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseSimulatorFlags(flags: SimulatorFlags): SimulatorOptions {
  const port = integerFlag('--port', flags.port ?? '0', 0, 65535);
  const latencyMs = integerFlag('--latency-ms', flags.latencyMs ?? '0', 0, 600_000);
  const profile = flags.profile ?? '1.14.1';
  if (!isProfileName(profile)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')} (got '${profile}')`);
  if (!flags.email || !flags.email.includes('@')) throw new UsageError('--email must be an email address');
  if (!flags.password) throw new UsageError('--password must not be empty');
  if ((flags.adminApiKey === undefined) !== (flags.workspaceId === undefined)) {
    throw new UsageError('--admin-api-key and --workspace-id go together (X-WORKSPACE-ID names the workspace the key acts on)');
  }
  if (flags.workspaceId !== undefined && !UUID.test(flags.workspaceId)) throw new UsageError(`--workspace-id must be a UUID (got '${flags.workspaceId}')`);
  if (flags.adminApiKey !== undefined && flags.adminApiKey.length < 8) throw new UsageError('--admin-api-key must be at least 8 characters');
  return {
    port,
    profile,
    email: flags.email,
    password: flags.password,
    latencyMs,
    ...(flags.adminApiKey === undefined ? {} : { adminApiKey: flags.adminApiKey }),
    ...(flags.workspaceId === undefined ? {} : { workspaceId: flags.workspaceId }),
    ...(flags.state === undefined ? {} : { statePath: flags.state }),
  };
}

function integerFlag(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${name} must be an integer from ${min} to ${max} (got '${raw}')`);
  return Number(raw);
}

/** Serves until `stop` aborts. Exported for tests; `run` wires it to SIGINT/SIGTERM. */
export async function serveSimulator(ctx: CliContext, flags: SimulatorFlags, stop: AbortSignal): Promise<ExitCode> {
  const options = parseSimulatorFlags(flags);
  ctx.redactor.add(options.password);
  if (options.adminApiKey) ctx.redactor.add(options.adminApiKey);
  let sim;
  try {
    sim = await startSimulator({ ...options, onError: (error) => ctx.err(`dify simulator: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} is already in use`);
    if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${options.port}`);
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  ctx.out(`Dify simulator ${sim.profile.name} listening on ${sim.url}\n`);
  if (!stop.aborted) await once(stop, 'abort');
  await sim.close();
  return ExitCode.Ok;
}

export async function run(ctx: CliContext, flags: SimulatorFlags): Promise<ExitCode> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await serveSimulator(ctx, flags, controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
