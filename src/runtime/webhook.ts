// POST /webhooks/github: what one delivery means. The HMAC (X-Hub-Signature-256) is checked first,
// in constant time by @octokit/webhooks-methods, over the exact bytes received; only then is the
// delivery id remembered (so an unsigned request cannot poison the replay cache) and the body
// parsed. Only a push to the tracked branch triggers a reconcile; everything else is answered and
// ignored. The answer carries X-Dify-Gitops-Outcome so senders and tests can see what happened.

import { verify } from '@octokit/webhooks-methods';
import type { DeliveryCache } from './delivery-cache.js';
import type { LaneOutcome } from './lane.js';

export type WebhookOutcome =
  | 'triggered'
  | 'queued'
  | 'coalesced'
  | 'pong'
  | 'duplicate'
  | 'ignored-event'
  | 'ignored-branch'
  | 'bad-signature'
  | 'bad-request'
  | 'shutting-down';

export interface WebhookReply {
  status: number;
  outcome: WebhookOutcome;
  message: string;
}

export interface WebhookContext {
  secret: string;
  /** The tracked branch, e.g. `main`. */
  branch: string;
  deliveries: DeliveryCache;
  /** Asks for a reconcile of every environment; returns what the lane did with it. */
  trigger(label: string): LaneOutcome;
}

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export async function handleGithubDelivery(headers: WebhookHeaders, body: Buffer, ctx: WebhookContext): Promise<WebhookReply> {
  const signature = header(headers, 'x-hub-signature-256');
  const text = body.toString('utf8');
  if (signature === undefined || !signature.startsWith('sha256=')) return reply(401, 'bad-signature', 'X-Hub-Signature-256 is missing');
  if (!(await verifySafely(ctx.secret, text, signature))) return reply(401, 'bad-signature', 'X-Hub-Signature-256 does not match the body');
  const delivery = header(headers, 'x-github-delivery');
  if (delivery === undefined || delivery === '' || delivery.length > 200) return reply(400, 'bad-request', 'X-GitHub-Delivery is missing');
  if (!ctx.deliveries.remember(delivery)) return reply(200, 'duplicate', `delivery ${delivery} was already received`);
  const event = header(headers, 'x-github-event');
  if (event === 'ping') return reply(200, 'pong', 'pong');
  if (event !== 'push') return reply(204, 'ignored-event', `event ${event ?? '(none)'} is ignored; only push triggers a reconcile`);
  const payload = parsePayload(text, header(headers, 'content-type'));
  if (payload === undefined) return reply(400, 'bad-request', 'the push payload is not JSON');
  const ref = typeof payload.ref === 'string' ? payload.ref : '';
  if (ref !== `refs/heads/${ctx.branch}`) return reply(204, 'ignored-branch', `push to ${ref || '(no ref)'} is ignored; tracking refs/heads/${ctx.branch}`);
  if (payload.deleted === true) return reply(204, 'ignored-branch', `the tracked branch was deleted; nothing to reconcile`);
  const after = typeof payload.after === 'string' ? payload.after.slice(0, 12) : '?';
  const outcome = ctx.trigger(`push ${after} (delivery ${delivery})`);
  if (outcome === 'closed') return reply(503, 'shutting-down', 'the controller is shutting down');
  const mapped: WebhookOutcome = outcome === 'started' ? 'triggered' : outcome === 'skipped' ? 'coalesced' : outcome;
  return reply(202, mapped, `reconcile ${mapped}`);
}

/** GitHub sends application/json, or application/x-www-form-urlencoded with the JSON in `payload`. */
export function parsePayload(text: string, contentType: string | undefined): Record<string, unknown> | undefined {
  try {
    const json = contentType?.startsWith('application/x-www-form-urlencoded') === true ? (new URLSearchParams(text).get('payload') ?? '') : text;
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function verifySafely(secret: string, text: string, signature: string): Promise<boolean> {
  try {
    return await verify(secret, text, signature);
  } catch {
    return false; // a malformed signature (wrong length, not hex) is a mismatch, not a crash
  }
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(status: number, outcome: WebhookOutcome, message: string): WebhookReply {
  return { status, outcome, message };
}
