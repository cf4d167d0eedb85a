// fake-github routes for conversations: issue comments (paginated list with a Link header,
// create, update, delete), issues (list, create, update) and the one GraphQL mutation we use,
// minimizeComment. Validation follows GitHub's answers closely enough for our client.

import type { Route, RouteContext } from './fake-github.js';
import { invalidRequest, notFound, validationFailed, type Reply } from './fake-github-replies.js';
import type { FakeComment, FakeIssue } from './fake-github-state.js';

const COMMENT_LIMIT = 65_536;
const CLASSIFIERS = new Set(['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED']);

export function issueRoutes(): Route[] {
  return [
    { method: 'GET', path: '/repos/:owner/:repo/issues/:number/comments', handler: listComments },
    { method: 'POST', path: '/repos/:owner/:repo/issues/:number/comments', handler: createComment },
    { method: 'PATCH', path: '/repos/:owner/:repo/issues/comments/:id', handler: updateComment },
    { method: 'DELETE', path: '/repos/:owner/:repo/issues/comments/:id', handler: deleteComment },
    { method: 'GET', path: '/repos/:owner/:repo/issues', handler: listIssues },
    { method: 'POST', path: '/repos/:owner/:repo/issues', handler: createIssue },
    { method: 'PATCH', path: '/repos/:owner/:repo/issues/:number', handler: updateIssue },
    { method: 'POST', path: '/graphql', handler: graphql },
  ];
}

function listComments(ctx: RouteContext): Reply {
  const number = Number(ctx.params.number);
  const all = ctx.state.comments.filter((c) => c.issue_number === number).sort((a, b) => a.id - b.id);
  return paginate(ctx, all.map((c) => commentJson(c)));
}

function createComment(ctx: RouteContext): Reply {
  const body = bodyField(ctx.body);
  if (typeof body !== 'string' || body === '') return invalidRequest('"body" wasn\'t supplied.');
  const tooLong = checkLength(body);
  if (tooLong !== undefined) return tooLong;
  const id = ctx.state.nextId();
  const now = ctx.state.now();
  const { owner, repo } = ctx.options;
  const comment: FakeComment = {
    id,
    node_id: Buffer.from(`IC_${id}`).toString('base64'),
    issue_number: Number(ctx.params.number),
    body,
    user: { login: 'github-actions[bot]' },
    created_at: now,
    updated_at: now,
    html_url: `https://github.com/${owner}/${repo}/pull/${ctx.params.number}#issuecomment-${id}`,
    minimized: null,
  };
  ctx.state.comments.push(comment);
  return { status: 201, body: commentJson(comment) };
}

function updateComment(ctx: RouteContext): Reply {
  const comment = ctx.state.comments.find((c) => c.id === Number(ctx.params.id));
  if (comment === undefined) return notFound();
  const body = bodyField(ctx.body);
  if (typeof body !== 'string' || body === '') return invalidRequest('"body" wasn\'t supplied.');
  const tooLong = checkLength(body);
  if (tooLong !== undefined) return tooLong;
  comment.body = body;
  comment.updated_at = ctx.state.now();
  return { status: 200, body: commentJson(comment) };
}

function deleteComment(ctx: RouteContext): Reply {
  const index = ctx.state.comments.findIndex((c) => c.id === Number(ctx.params.id));
  if (index < 0) return notFound();
  ctx.state.comments.splice(index, 1);
  return { status: 204 };
}

function listIssues(ctx: RouteContext): Reply {
  const state = ctx.query.get('state') ?? 'open';
  const labels = (ctx.query.get('labels') ?? '').split(',').filter((l) => l !== '');
  const issues = ctx.state.issues
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => labels.every((l) => i.labels.includes(l)))
    .sort((a, b) => b.number - a.number);
  return paginate(ctx, issues.map((i) => issueJson(i, ctx)));
}

function createIssue(ctx: RouteContext): Reply {
  const body = ctx.body as { title?: unknown; body?: unknown; labels?: unknown } | undefined;
  if (typeof body?.title !== 'string' || body.title === '') return invalidRequest('"title" wasn\'t supplied.');
  const text = typeof body.body === 'string' ? body.body : '';
  const tooLong = checkLength(text);
  if (tooLong !== undefined) return tooLong;
  const now = ctx.state.now();
  const issue: FakeIssue = {
    id: ctx.state.nextId(),
    number: ctx.state.issues.length + ctx.state.pulls.length + 1,
    title: body.title,
    body: text,
    state: 'open',
    state_reason: null,
    labels: Array.isArray(body.labels) ? body.labels.map(String) : [],
    created_at: now,
    updated_at: now,
  };
  ctx.state.issues.push(issue);
  return { status: 201, body: issueJson(issue, ctx) };
}

function updateIssue(ctx: RouteContext): Reply {
  const issue = ctx.state.issues.find((i) => i.number === Number(ctx.params.number));
  if (issue === undefined) return notFound();
  const body = (ctx.body ?? {}) as { title?: unknown; body?: unknown; state?: unknown; state_reason?: unknown };
  if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') {
    return validationFailed('state is not included in the list', 'Issue', 'state');
  }
  if (typeof body.body === 'string') {
    const tooLong = checkLength(body.body);
    if (tooLong !== undefined) return tooLong;
    issue.body = body.body;
  }
  if (typeof body.title === 'string') issue.title = body.title;
  if (body.state === 'open' || body.state === 'closed') {
    issue.state = body.state;
    issue.state_reason = body.state === 'closed' ? (typeof body.state_reason === 'string' ? body.state_reason : 'completed') : null;
  }
  issue.updated_at = ctx.state.now();
  return { status: 200, body: issueJson(issue, ctx) };
}

/** Only `mutation { minimizeComment(input: { subjectId, classifier }) { … } }` is implemented. */
function graphql(ctx: RouteContext): Reply {
  const { query, variables = {} } = (ctx.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== 'string') return { status: 400, body: { message: 'A query attribute must be specified and must be a string.' } };
  const input = /^\s*mutation\b[^{]*\{\s*minimizeComment\s*\(\s*input\s*:\s*\{([^}]*)\}\s*\)\s*\{[^{}]*\{[^{}]*\}\s*\}\s*\}\s*$/.exec(query);
  if (input === null) {
    return { status: 501, body: { message: `fake-github implements only the minimizeComment mutation, got: ${query.slice(0, 80)}` } };
  }
  const argument = (name: string): unknown => {
    const raw = new RegExp(`${name}\\s*:\\s*(\\$\\w+|"[^"]*"|\\w+)`).exec(input[1]!)?.[1];
    if (raw === undefined) return undefined;
    if (raw.startsWith('$')) return variables[raw.slice(1)];
    return raw.startsWith('"') ? raw.slice(1, -1) : raw;
  };
  const subjectId = argument('subjectId');
  const classifier = argument('classifier');
  if (typeof classifier !== 'string' || !CLASSIFIERS.has(classifier)) {
    return graphqlError('INVALID', `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${String(classifier)}).`);
  }
  if (ctx.options.minimizeComment === 'forbidden') return graphqlError('FORBIDDEN', 'Resource not accessible by integration');
  const comment = ctx.state.comments.find((c) => c.node_id === subjectId);
  if (comment === undefined) return graphqlError('NOT_FOUND', `Could not resolve to a node with the global id of '${String(subjectId)}'`);
  comment.minimized = { classifier };
  return {
    status: 200,
    body: { data: { minimizeComment: { minimizedComment: { isMinimized: true, minimizedReason: classifier.toLowerCase() } } } },
  };
}

function graphqlError(type: string, message: string): Reply {
  return { status: 200, body: { data: { minimizeComment: null }, errors: [{ type, path: ['minimizeComment'], message }] } };
}

/** `per_page` (max 100, default 30) and `page`, with GitHub's Link header. */
export function paginate(ctx: RouteContext, items: unknown[]): Reply {
  const perPage = Math.min(Number(ctx.query.get('per_page') ?? 30) || 30, 100);
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string): string => {
    const query = new URLSearchParams(ctx.query);
    query.set('per_page', String(perPage));
    query.set('page', String(p));
    return `<${ctx.selfUrl}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [];
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}

/** GitHub counts characters (code points), not UTF-16 units or bytes. */
function checkLength(body: string): Reply | undefined {
  const length = [...body].length;
  if (length <= COMMENT_LIMIT) return undefined;
  return validationFailed(`Body is too long (maximum is ${COMMENT_LIMIT} characters)`, 'IssueComment', 'body');
}

function bodyField(body: unknown): unknown {
  return body !== null && typeof body === 'object' ? (body as { body?: unknown }).body : undefined;
}

function commentJson(c: FakeComment): Record<string, unknown> {
  const { minimized: _minimized, issue_number: _issue, ...json } = c;
  return { ...json, author_association: 'NONE', url: `https://api.github.com/repos/x/y/issues/comments/${c.id}` };
}

function issueJson(i: FakeIssue, ctx: RouteContext): Record<string, unknown> {
  const { owner, repo } = ctx.options;
  return {
    ...i,
    labels: i.labels.map((name) => ({ name })),
    html_url: `https://github.com/${owner}/${repo}/issues/${i.number}`,
  };
}
