// Dify's draft `hash` (contract §6.1): SHA-256 hex of Python `json.dumps(obj, sort_keys=True)`
// followed by the literal text `None`, where obj is {graph} since 1.14.0 and {graph, features}
// before. Env and conversation variables are not hashed; positions and viewport are.

import { createHash } from 'node:crypto';
import { pythonJsonDumps } from './python-json.js';

export function computeDraftHash(graph: unknown, features: unknown, includeFeatures: boolean): string {
  const obj = includeFeatures ? { graph, features } : { graph };
  return createHash('sha256').update(`${pythonJsonDumps(obj, { sortKeys: true })}None`, 'utf8').digest('hex');
}
