// fake-github routes for the Git data API and pull requests: refs (get, create, update with
// GitHub's fast-forward rule), commits, trees (with base_tree, inline content and deletions),
// and pull requests (list by head/base/state, create, update). Trees are flat file snapshots.

import type { Route, RouteContext } from './fake-github.js';
import { invalidRequest, notFound, validationFailed, type Reply } from './fake-github-replies.js';
import { gitSha, type FakeGitCommit, type FakePull } from './fake-github-state.js';

export function gitRoutes(): Route[] {
  return [
    { method: 'GET', path: '/repos/:owner/:repo/git/ref/:ref+', handler: getRef },
    { method: 'POST', path: '/repos/:owner/:repo/git/refs', handler: createRef },
    { method: 'PATCH', path: '/repos/:owner/:repo/git/refs/:ref+', handler: updateRef },
    { method: 'GET', path: '/repos/:owner/:repo/git/commits/:sha', handler: getCommit },
    { method: 'POST', path: '/repos/:owner/:repo/git/commits', handler: createCommit },
    { method: 'POST', path: '/repos/:owner/:repo/git/trees', handler: createTree },
    { method: 'GET', path: '/repos/:owner/:repo/pulls', handler: listPulls },
    { method: 'POST', path: '/repos/:owner/:repo/pulls', handler: createPull },
    { method: 'PATCH', path: '/repos/:owner/:repo/pulls/:number', handler: updatePull },
  ];
}

type Body = Record<string, unknown>;

function getRef(ctx: RouteContext): Reply {
  const sha = ctx.state.git.refs.get(ctx.params.ref!);
  return sha === undefined ? notFound() : { status: 200, body: refJson(ctx.params.ref!, sha) };
}

function createRef(ctx: RouteContext): Reply {
  const body = (ctx.body ?? {}) as Body;
  if (typeof body.ref !== 'string' || !/^refs\/heads\/.+/.test(body.ref)) return invalidRequest('"ref" must be like refs/heads/<branch>.');
  if (typeof body.sha !== 'string' || !ctx.state.git.commits.has(body.sha)) return validationFailed('Object does not exist', 'Reference', 'sha');
  const ref = body.ref.slice('refs/'.length);
  if (ctx.state.git.refs.has(ref)) return validationFailed('Reference already exists', 'Reference', 'ref');
  ctx.state.git.refs.set(ref, body.sha);
  return { status: 201, body: refJson(ref, body.sha) };
}

function updateRef(ctx: RouteContext): Reply {
  const ref = ctx.params.ref!;
  const current = ctx.state.git.refs.get(ref);
  if (current === undefined) return notFound();
  const body = (ctx.body ?? {}) as Body;
  if (typeof body.sha !== 'string' || !ctx.state.git.commits.has(body.sha)) return validationFailed('Object does not exist', 'Reference', 'sha');
  if (body.force !== true && !isAncestor(ctx, current, body.sha)) {
    return validationFailed('Update is not a fast forward', 'Reference', 'sha');
  }
  ctx.state.git.refs.set(ref, body.sha);
  return { status: 200, body: refJson(ref, body.sha) };
}

function getCommit(ctx: RouteContext): Reply {
  const commit = ctx.state.git.commits.get(ctx.params.sha!);
  return commit === undefined ? notFound() : { status: 200, body: commitJson(commit) };
}

function createCommit(ctx: RouteContext): Reply {
  const body = (ctx.body ?? {}) as Body;
  if (typeof body.message !== 'string' || typeof body.tree !== 'string') return invalidRequest('"message" and "tree" are required.');
  if (!ctx.state.git.trees.has(body.tree)) return validationFailed('Tree SHA does not exist', 'Commit', 'tree');
  const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
  if (parents.some((p) => !ctx.state.git.commits.has(p))) return validationFailed('Parent SHA does not exist', 'Commit', 'parents');
  const commit: FakeGitCommit = { sha: '', tree: body.tree, parents, message: body.message };
  commit.sha = gitSha({ ...commit, at: ctx.state.now() });
  ctx.state.git.commits.set(commit.sha, commit);
  return { status: 201, body: commitJson(commit) };
}

function createTree(ctx: RouteContext): Reply {
  const body = (ctx.body ?? {}) as Body;
  if (!Array.isArray(body.tree)) return invalidRequest('"tree" wasn\'t supplied.');
  let files = new Map<string, string>();
  if (body.base_tree !== undefined) {
    const base = typeof body.base_tree === 'string' ? ctx.state.git.trees.get(body.base_tree) : undefined;
    if (base === undefined) return validationFailed('base_tree is not a valid tree', 'Tree', 'base_tree');
    files = new Map(base);
  }
  for (const raw of body.tree as Body[]) {
    if (typeof raw.path !== 'string' || raw.path.startsWith('/') || raw.mode !== '100644' || raw.type !== 'blob') {
      return invalidRequest('tree entries need path, mode 100644 and type blob.');
    }
    if (raw.sha === null) files.delete(raw.path);
    else if (typeof raw.content === 'string') files.set(raw.path, raw.content);
    else return invalidRequest(`tree entry ${raw.path} needs "content" or "sha": null.`);
  }
  const sha = gitSha([...files].sort(([a], [b]) => a.localeCompare(b)));
  ctx.state.git.trees.set(sha, files);
  return { status: 201, body: { sha, tree: [...files.keys()].map((path) => ({ path, mode: '100644', type: 'blob' })) } };
}

function listPulls(ctx: RouteContext): Reply {
  const state = ctx.query.get('state') ?? 'open';
  const head = ctx.query.get('head');
  const base = ctx.query.get('base');
  const list = ctx.state.pulls
    .filter((p) => state === 'all' || p.state === state)
    .filter((p) => head === null || `${ctx.options.owner}:${p.head}` === head)
    .filter((p) => base === null || p.base === base)
    .map((p) => pullJson(p, ctx));
  return { status: 200, body: list };
}

function createPull(ctx: RouteContext): Reply {
  const body = (ctx.body ?? {}) as Body;
  for (const field of ['title', 'head', 'base'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') return invalidRequest(`"${field}" wasn't supplied.`);
  }
  const [head, base] = [String(body.head), String(body.base)];
  if (!ctx.state.git.refs.has(`heads/${head}`)) return validationFailed('head is invalid', 'PullRequest', 'head');
  if (!ctx.state.git.refs.has(`heads/${base}`)) return validationFailed('base is invalid', 'PullRequest', 'base');
  if (ctx.state.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
    return validationFailed(`A pull request already exists for ${ctx.options.owner}:${head}.`, 'PullRequest');
  }
  const pull: FakePull = {
    id: ctx.state.nextId(),
    number: ctx.state.issues.length + ctx.state.pulls.length + 1, // issues and pulls share numbers
    title: String(body.title),
    body: typeof body.body === 'string' ? body.body : '',
    head,
    base,
    draft: body.draft === true,
    state: 'open',
  };
  ctx.state.pulls.push(pull);
  return { status: 201, body: pullJson(pull, ctx) };
}

function updatePull(ctx: RouteContext): Reply {
  const pull = ctx.state.pulls.find((p) => p.number === Number(ctx.params.number));
  if (pull === undefined) return notFound();
  const body = (ctx.body ?? {}) as Body;
  if (typeof body.title === 'string') pull.title = body.title;
  if (typeof body.body === 'string') pull.body = body.body;
  if (body.state === 'open' || body.state === 'closed') pull.state = body.state;
  return { status: 200, body: pullJson(pull, ctx) };
}

function isAncestor(ctx: RouteContext, ancestor: string, sha: string): boolean {
  const seen = new Set<string>();
  const queue = [sha];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (next === ancestor) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(ctx.state.git.commits.get(next)?.parents ?? []));
  }
  return false;
}

function refJson(ref: string, sha: string): Body {
  return { ref: `refs/${ref}`, node_id: `REF_${ref}`, object: { type: 'commit', sha } };
}

function commitJson(commit: FakeGitCommit): Body {
  return { sha: commit.sha, message: commit.message, tree: { sha: commit.tree }, parents: commit.parents.map((sha) => ({ sha })) };
}

function pullJson(pull: FakePull, ctx: RouteContext): Body {
  const { owner, repo } = ctx.options;
  const sha = (branch: string) => ctx.state.git.refs.get(`heads/${branch}`) ?? '';
  return {
    id: pull.id,
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    draft: pull.draft,
    html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
    head: { ref: pull.head, sha: sha(pull.head), label: `${owner}:${pull.head}` },
    base: { ref: pull.base, sha: sha(pull.base), label: `${owner}:${pull.base}` },
  };
}
