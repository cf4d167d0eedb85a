// Who runs an app: a service-API end user (the `user` string, mapped to a stable end-user id
// per app as EndUserService.get_or_create_end_user does) or a console account (debugger runs).

import { createHash } from 'node:crypto';
import type { SimAccount } from '../state.js';

export type RunActor =
  | { kind: 'end_user'; id: string; session: string }
  | { kind: 'account'; account: SimAccount };

/** A deterministic UUID-shaped end-user id for (app, user), so repeated calls map to one user. */
export function endUserActor(appId: string, session: string): RunActor {
  const hex = createHash('sha256').update(`${appId}\0${session}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { kind: 'end_user', id, session };
}

export function actorId(actor: RunActor): string {
  return actor.kind === 'end_user' ? actor.id : actor.account.id;
}

/** `sys.user_id`: the end user's session string, or the account id. */
export function actorUserId(actor: RunActor): string {
  return actor.kind === 'end_user' ? actor.session : actor.account.id;
}

/** workflow_finished.created_by. */
export function createdByView(actor: RunActor): Record<string, unknown> {
  return actor.kind === 'end_user'
    ? { id: actor.id, user: actor.session }
    : { id: actor.account.id, name: actor.account.name, email: actor.account.email };
}
