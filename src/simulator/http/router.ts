// Matches a request's method and path against the route table. Patterns compile to anchored
// regular expressions once; matching is a linear scan (a few hundred routes at most).

import type { HttpMethod, Route } from './route.js';

const UUID = '[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}';

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

export interface Router {
  match(method: string, path: string): RouteMatch;
  readonly routes: readonly Route[];
}

export function createRouter(routes: readonly Route[]): Router {
  const compiled = routes.map(compileRoute);
  const seen = new Set<string>();
  for (const { route } of compiled) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`simulator route registered twice: ${key}`);
    seen.add(key);
  }
  return {
    routes,
    match(method, path) {
      let pathMatched = false;
      for (const entry of compiled) {
        const m = entry.regex.exec(path);
        if (!m) continue;
        pathMatched = true;
        if (entry.route.method !== (method as HttpMethod)) continue;
        const params: Record<string, string> = {};
        entry.names.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1] ?? '');
        });
        return { kind: 'found', route: entry.route, params };
      }
      return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
    },
  };
}

function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const parts = route.path.split('/').map((segment) => {
    const param = /^:([A-Za-z_][A-Za-z0-9_]*)(?:<(uuid|path)>)?$/.exec(segment);
    if (!param) return escapeRegex(segment);
    names.push(param[1]!);
    if (param[2] === 'uuid') return `(${UUID})`;
    if (param[2] === 'path') return '(.+?)';
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${parts.join('/')}$`), names };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
