// Conversations of chat-family and advanced-chat apps: lookup by id for the same app and user
// (404 "Conversation Not Exists." otherwise) and creation with the workflow's conversation
// variable defaults.

import { notFound } from '../http/errors.js';
import type { SimApp, SimConversation, SimWorkflow } from '../state.js';
import type { SimWorld } from '../world.js';

export function findConversation(world: SimWorld, app: SimApp, user: string, id: string): SimConversation {
  const conversation = world.state.conversations.find((c) => c.id === id && c.app_id === app.id && c.user === user);
  if (!conversation) throw notFound('Conversation Not Exists.');
  return conversation;
}

/** A new conversation (not yet stored: it is stored once the run is accepted). */
export function newConversation(world: SimWorld, app: SimApp, user: string, workflow: SimWorkflow | null): SimConversation {
  const variables: Record<string, unknown> = {};
  for (const v of workflow?.conversation_variables ?? []) variables[v.name] = structuredClone(v.value);
  return { id: world.newId(), app_id: app.id, user, variables, dialogue_count: 0, created_at: world.nowSeconds() };
}

export function saveConversation(world: SimWorld, conversation: SimConversation): void {
  if (!world.state.conversations.includes(conversation)) world.state.conversations.push(conversation);
}
