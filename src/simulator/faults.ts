// Fault injection for tests and benchmarks: `POST /_simulator/faults` registers a rule matched
// by method and a path regex; the next `times` matching requests (default 1; there is no
// "forever", pass a large number instead) are delayed, answered with a chosen status/body, or
// have their connection destroyed without a response. First registered, first matched.

import { invalidParam } from './http/errors.js';

export interface Fault {
  id: string;
  method: string | undefined;
  path: string;
  status: number | undefined;
  body: unknown;
  headers: Record<string, string>;
  delayMs: number;
  dropConnection: boolean;
  /** Matches left; the fault is removed when this reaches 0. */
  remaining: number;
}

export interface FaultStore {
  add(spec: unknown): Fault;
  clear(): number;
  list(): Fault[];
  /** The first fault matching this request, consuming one of its `times`. */
  take(method: string, path: string): Fault | undefined;
}

const MAX_TIMES = 1_000_000;
const MAX_DELAY_MS = 600_000;

export function createFaultStore(newId: () => string): FaultStore {
  const faults: { fault: Fault; regex: RegExp }[] = [];
  return {
    add(spec) {
      const entry = parseFault(spec, newId());
      faults.push(entry);
      return entry.fault;
    },
    clear() {
      const n = faults.length;
      faults.length = 0;
      return n;
    },
    list: () => faults.map((f) => f.fault),
    take(method, path) {
      const index = faults.findIndex(
        ({ fault, regex }) => (fault.method === undefined || fault.method === method.toUpperCase()) && regex.test(path),
      );
      if (index < 0) return undefined;
      const entry = faults[index]!;
      entry.fault.remaining -= 1;
      if (entry.fault.remaining <= 0) faults.splice(index, 1);
      return entry.fault;
    },
  };
}

function parseFault(spec: unknown, id: string): { fault: Fault; regex: RegExp } {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw invalidParam('fault must be a JSON object');
  const s = spec as Record<string, unknown>;
  if (typeof s.path !== 'string' || s.path === '') throw invalidParam('fault.path (a regular expression string) is required');
  let regex: RegExp;
  try {
    regex = new RegExp(s.path);
  } catch (error) {
    throw invalidParam(`fault.path is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (s.method !== undefined && typeof s.method !== 'string') throw invalidParam('fault.method must be a string');
  const status = optionalInt(s.status, 'status', 100, 599);
  const delayMs = optionalInt(s.delayMs, 'delayMs', 0, MAX_DELAY_MS) ?? 0;
  const times = optionalInt(s.times, 'times', 1, MAX_TIMES) ?? 1;
  if (s.dropConnection !== undefined && typeof s.dropConnection !== 'boolean') throw invalidParam('fault.dropConnection must be a boolean');
  const dropConnection = s.dropConnection === true;
  if (status === undefined && !dropConnection && delayMs === 0) {
    throw invalidParam('fault needs at least one of status, delayMs or dropConnection');
  }
  const headers: Record<string, string> = {};
  if (s.headers !== undefined) {
    if (typeof s.headers !== 'object' || s.headers === null || Array.isArray(s.headers)) throw invalidParam('fault.headers must be an object');
    for (const [k, v] of Object.entries(s.headers)) headers[k] = String(v);
  }
  const fault: Fault = {
    id,
    method: typeof s.method === 'string' ? s.method.toUpperCase() : undefined,
    path: s.path,
    status,
    body: s.body,
    headers,
    delayMs,
    dropConnection,
    remaining: times,
  };
  return { fault, regex };
}

function optionalInt(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParam(`fault.${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
