// fake-github routes for repository features: check runs (create/update, annotations accumulated,
// at most 50 per request as GitHub enforces), deployments and their statuses (create/list), and
// Actions secrets (public keys, sealed PUT for the repository and for environments).

import type { Route, RouteContext } from './fake-github.js';
import { DOCS_URL, invalidRequest, notFound, validationFailed, type Reply } from './fake-github-replies.js';
import { paginate } from './fake-github-routes-issues.js';
import { unseal, type FakeAnnotation, type FakeCheckRun, type FakeSecret, type SealingKey } from './fake-github-state.js';
import sodium from 'libsodium-wrappers';

const STATUSES = new Set(['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending']);
const CONCLUSIONS = new Set(['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out']);
const LEVELS = new Set(['notice', 'warning', 'failure']);
const DEPLOYMENT_STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

export function repoRoutes(): Route[] {
  return [
    { method: 'POST', path: '/repos/:owner/:repo/check-runs', handler: createCheckRun },
    { method: 'PATCH', path: '/repos/:owner/:repo/check-runs/:id', handler: updateCheckRun },
    { method: 'POST', path: '/repos/:owner/:repo/deployments', handler: createDeployment },
    { method: 'GET', path: '/repos/:owner/:repo/deployments', handler: listDeployments },
    { method: 'POST', path: '/repos/:owner/:repo/deployments/:id/statuses', handler: createDeploymentStatus },
    { method: 'GET', path: '/repos/:owner/:repo/deployments/:id/statuses', handler: listDeploymentStatuses },
    { method: 'GET', path: '/repos/:owner/:repo/actions/secrets/public-key', handler: (ctx) => publicKey(ctx.state.repoKey) },
    { method: 'PUT', path: '/repos/:owner/:repo/actions/secrets/:name', handler: putRepoSecret },
    { method: 'GET', path: '/repos/:owner/:repo/environments/:env/secrets/public-key', handler: environmentPublicKey },
    { method: 'PUT', path: '/repos/:owner/:repo/environments/:env/secrets/:name', handler: putEnvironmentSecret },
  ];
}

type Body = Record<string, unknown>;

function createCheckRun(ctx: RouteContext): Reply {
  if (!ctx.options.checksWritable) return forbidden();
  const body = (ctx.body ?? {}) as Body;
  if (typeof body.name !== 'string' || body.name === '') return invalidRequest('"name" wasn\'t supplied.');
  if (typeof body.head_sha !== 'string' || body.head_sha === '') return invalidRequest('"head_sha" wasn\'t supplied.');
  const run: FakeCheckRun = {
    id: ctx.state.nextId(),
    name: body.name,
    head_sha: body.head_sha,
    status: 'queued',
    conclusion: null,
    details_url: null,
    output: { title: null, summary: null },
    annotations: [],
    batches: [],
  };
  const problem = applyCheckRun(run, body);
  if (problem !== undefined) return problem;
  ctx.state.checkRuns.push(run);
  return { status: 201, body: checkRunJson(run, ctx) };
}

function updateCheckRun(ctx: RouteContext): Reply {
  if (!ctx.options.checksWritable) return forbidden();
  const run = ctx.state.checkRuns.find((r) => r.id === Number(ctx.params.id));
  if (run === undefined) return notFound();
  const problem = applyCheckRun(run, (ctx.body ?? {}) as Body);
  return problem ?? { status: 200, body: checkRunJson(run, ctx) };
}

/** Validates everything first, then changes the run: a 422 leaves it as it was. */
function applyCheckRun(run: FakeCheckRun, body: Body): Reply | undefined {
  const status = body.status === undefined ? undefined : JSON.stringify(body.status);
  const conclusion = body.conclusion === undefined ? undefined : JSON.stringify(body.conclusion);
  if (status !== undefined && (typeof body.status !== 'string' || !STATUSES.has(body.status))) return invalidRequest(`${status} is not a valid status.`);
  if (conclusion !== undefined && (typeof body.conclusion !== 'string' || !CONCLUSIONS.has(body.conclusion))) {
    return invalidRequest(`${conclusion} is not a valid conclusion.`);
  }
  if (body.status === 'completed' && body.conclusion === undefined) {
    return invalidRequest('"conclusion" is required when "status" is "completed".');
  }
  const output = body.output as { title?: unknown; summary?: unknown; annotations?: unknown } | undefined;
  const annotations: FakeAnnotation[] = [];
  if (output !== undefined) {
    if (typeof output.title !== 'string' || typeof output.summary !== 'string') {
      return invalidRequest('"title" and "summary" are required in "output".');
    }
    if (output.summary.length > 65_535) return invalidRequest('"summary" is too long (maximum is 65535 characters).');
    const list = output.annotations ?? [];
    if (!Array.isArray(list)) return invalidRequest('"annotations" must be an array.');
    if (list.length > 50) return validationFailed('Only 50 annotations are allowed per request', 'CheckRun', 'annotations');
    for (const [index, raw] of list.entries()) {
      const problem = checkAnnotation(raw as Body, index);
      if (problem !== undefined) return problem;
      annotations.push(raw as FakeAnnotation);
    }
    run.output = { title: output.title, summary: output.summary };
    run.annotations.push(...annotations);
    if (annotations.length > 0) run.batches.push(annotations.length);
  }
  if (typeof body.details_url === 'string') run.details_url = body.details_url;
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  } else if (typeof body.status === 'string') {
    run.status = body.status;
  }
  return undefined;
}

function checkAnnotation(a: Body, index: number): Reply | undefined {
  const at = `annotations[${index}]`;
  for (const field of ['path', 'message'] as const) {
    if (typeof a[field] !== 'string' || a[field] === '') return invalidRequest(`"${field}" wasn't supplied in ${at}.`);
  }
  for (const field of ['start_line', 'end_line'] as const) {
    if (!Number.isInteger(a[field]) || (a[field] as number) < 1) return invalidRequest(`"${field}" must be a positive integer in ${at}.`);
  }
  if (!LEVELS.has(String(a.annotation_level))) return invalidRequest(`"annotation_level" is invalid in ${at}.`);
  if ((a.start_line as number) > (a.end_line as number)) return invalidRequest(`"start_line" is after "end_line" in ${at}.`);
  if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
    return invalidRequest(`"start_column" and "end_column" need "start_line" equal to "end_line" in ${at}.`);
  }
  return undefined;
}

function createDeployment(ctx: RouteContext): Reply {
  const body = (ctx.body ?? {}) as Body;
  if (typeof body.ref !== 'string' || body.ref === '') return invalidRequest('"ref" wasn\'t supplied.');
  if (body.required_contexts !== undefined && !Array.isArray(body.required_contexts)) {
    return invalidRequest('"required_contexts" must be an array.');
  }
  const deployment = {
    id: ctx.state.nextId(),
    ref: body.ref,
    sha: /^[0-9a-f]{40}$/.test(body.ref) ? body.ref : '0'.repeat(40),
    environment: typeof body.environment === 'string' ? body.environment : 'production',
    description: typeof body.description === 'string' ? body.description : null,
    auto_merge: body.auto_merge !== false,
    required_contexts: body.required_contexts as string[] | undefined,
    transient_environment: body.transient_environment === true,
    production_environment: body.production_environment === true,
    payload: body.payload ?? {},
    created_at: ctx.state.now(),
    statuses: [],
  };
  ctx.state.deployments.push(deployment);
  const { statuses: _statuses, auto_merge: _merge, required_contexts: _contexts, ...json } = deployment;
  return { status: 201, body: { ...json, task: 'deploy', original_environment: json.environment } };
}

function listDeployments(ctx: RouteContext): Reply {
  const filters = ['environment', 'sha', 'ref'] as const;
  const list = ctx.state.deployments
    .filter((d) => filters.every((f) => ctx.query.get(f) === null || ctx.query.get(f) === d[f]))
    .sort((a, b) => b.id - a.id)
    .map(({ statuses: _s, auto_merge: _m, required_contexts: _c, ...json }) => json);
  return paginate(ctx, list);
}

function createDeploymentStatus(ctx: RouteContext): Reply {
  const deployment = ctx.state.deployments.find((d) => d.id === Number(ctx.params.id));
  if (deployment === undefined) return notFound();
  const body = (ctx.body ?? {}) as Body;
  if (!DEPLOYMENT_STATES.has(String(body.state))) return invalidRequest(`"${String(body.state)}" is not a valid state.`);
  const description = typeof body.description === 'string' ? body.description : '';
  if (description.length > 140) {
    return validationFailed('description is too long (maximum is 140 characters)', 'DeploymentStatus', 'description');
  }
  const status = {
    id: ctx.state.nextId(),
    state: String(body.state),
    description,
    log_url: typeof body.log_url === 'string' ? body.log_url : '',
    environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
    created_at: ctx.state.now(),
  };
  deployment.statuses.push(status);
  return { status: 201, body: { ...status, environment: deployment.environment, deployment_url: `${ctx.selfUrl}/..` } };
}

function listDeploymentStatuses(ctx: RouteContext): Reply {
  const deployment = ctx.state.deployments.find((d) => d.id === Number(ctx.params.id));
  if (deployment === undefined) return notFound();
  return paginate(ctx, [...deployment.statuses].reverse());
}

function environmentPublicKey(ctx: RouteContext): Reply {
  if (!ctx.state.environments.has(ctx.params.env!)) return notFound();
  return publicKey(ctx.state.environmentKey(ctx.params.env!));
}

function publicKey(key: SealingKey): Reply {
  return { status: 200, body: { key_id: key.keyId, key: sodium.to_base64(key.publicKey, sodium.base64_variants.ORIGINAL) } };
}

function putRepoSecret(ctx: RouteContext): Reply {
  return putSecret(ctx, ctx.state.repoSecrets, ctx.state.repoKey);
}

function putEnvironmentSecret(ctx: RouteContext): Reply {
  const environment = ctx.params.env!;
  if (!ctx.state.environments.has(environment)) return notFound();
  let secrets = ctx.state.environmentSecrets.get(environment);
  if (secrets === undefined) ctx.state.environmentSecrets.set(environment, (secrets = new Map()));
  return putSecret(ctx, secrets, ctx.state.environmentKey(environment));
}

function putSecret(ctx: RouteContext, secrets: Map<string, FakeSecret>, key: SealingKey): Reply {
  const name = ctx.params.name!;
  const body = (ctx.body ?? {}) as Body;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name)) {
    return validationFailed('Secret names can only contain alphanumeric characters or underscores', 'Secret', 'name');
  }
  if (typeof body.encrypted_value !== 'string' || typeof body.key_id !== 'string') {
    return invalidRequest('"encrypted_value" and "key_id" are required.');
  }
  if (body.key_id !== key.keyId) return validationFailed('key_id does not match the current public key', 'Secret', 'key_id');
  // GitHub cannot check a sealed value; we can, and a value that does not open is our bug.
  if (unseal(body.encrypted_value, key) === undefined) {
    return { status: 422, body: { message: 'encrypted_value is not a sealed box for this key', documentation_url: DOCS_URL } };
  }
  const existed = secrets.has(name);
  secrets.set(name, { encrypted_value: body.encrypted_value, key_id: body.key_id, updated_at: ctx.state.now() });
  return { status: existed ? 204 : 201, ...(existed ? {} : { body: {} }) };
}

function checkRunJson(run: FakeCheckRun, ctx: RouteContext): Body {
  const { annotations, batches: _batches, ...json } = run;
  const { owner, repo } = ctx.options;
  return {
    ...json,
    html_url: `https://github.com/${owner}/${repo}/runs/${run.id}`,
    output: { ...run.output, annotations_count: annotations.length },
  };
}

function forbidden(): Reply {
  return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: DOCS_URL } };
}
