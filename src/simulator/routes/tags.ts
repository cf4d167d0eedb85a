// Tags (contract §11): a bare-list GET with binding_count as a string, create/rename with
// duplicate-name 400s, DELETE 204 (bindings go too), and app bindings per era: ≥1.14
// POST /tag-bindings + remove with tag_ids[]; ≤1.13 POST /tag-bindings/create + remove with tag_id.
// Bindings live on SimApp.tag_ids (the simulator has no datasets, so knowledge targets are 404).

import { bodyObject } from '../http/body.js';
import { forbidden, invalidParam, notFound, validationError } from '../http/errors.js';
import { requiredString } from '../http/params.js';
import { accountOf, json, noContent, type RequestContext, type Route } from '../http/route.js';
import type { SimTag } from '../state.js';
import { findApp } from '../world.js';

type TagType = SimTag['type'];

function canEditTags(ctx: RequestContext): void {
  if (!['owner', 'admin', 'editor', 'dataset_operator'].includes(accountOf(ctx).role)) throw forbidden();
}

function readType(model: string, body: Record<string, unknown>): TagType {
  if (body.type === undefined) throw validationError(model, 'type', 'Field required', 'missing');
  if (body.type !== 'app' && body.type !== 'knowledge') throw validationError(model, 'type', "Input should be 'knowledge' or 'app'", 'enum');
  return body.type;
}

function readTagIds(model: string, body: Record<string, unknown>, minOne: boolean): string[] {
  const ids = body.tag_ids;
  if (ids === undefined) throw validationError(model, 'tag_ids', 'Field required', 'missing');
  if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw validationError(model, 'tag_ids', 'Input should be a valid list', 'list_type');
  if (minOne && ids.length === 0) throw validationError(model, 'tag_ids', 'List should have at least 1 item after validation, not 0', 'too_short');
  return ids;
}

function bindingCount(ctx: RequestContext, tagId: string): number {
  return ctx.world.state.apps.filter((a) => a.tenant_id === ctx.world.state.workspace.id && a.tag_ids.includes(tagId)).length;
}

function tagView(ctx: RequestContext, tag: SimTag): Record<string, unknown> {
  return { id: tag.id, name: tag.name, type: tag.type, binding_count: String(bindingCount(ctx, tag.id)) };
}

function workspaceTags(ctx: RequestContext): SimTag[] {
  return ctx.world.state.tags.filter((t) => t.tenant_id === ctx.world.state.workspace.id);
}

function listTags(ctx: RequestContext) {
  const type = ctx.query.get('type') ?? '';
  if (!['', 'app', 'knowledge'].includes(type)) throw validationError('TagListQueryParam', 'type', "Input should be 'knowledge', 'app' or ''", 'literal_error');
  const keyword = (ctx.query.get('keyword') ?? '').toLowerCase();
  // Newest first (created_at desc); state keeps creation order.
  const tags = workspaceTags(ctx)
    .filter((t) => t.type === type && (keyword === '' || t.name.toLowerCase().includes(keyword)))
    .reverse();
  return json(tags.map((t) => tagView(ctx, t)));
}

function readName(body: Record<string, unknown>): string {
  return requiredString('TagBasePayload', body, 'name', { minLength: 1, maxLength: 50 });
}

function createTag(ctx: RequestContext) {
  canEditTags(ctx);
  const body = bodyObject(ctx.body);
  const name = readName(body);
  const type = readType('TagBasePayload', body);
  if (workspaceTags(ctx).some((t) => t.type === type && t.name === name)) throw invalidParam('Tag name already exists');
  const tag: SimTag = { id: ctx.world.newId(), tenant_id: ctx.world.state.workspace.id, name, type };
  ctx.world.state.tags.push(tag);
  return json({ id: tag.id, name: tag.name, type: tag.type, binding_count: '0' });
}

function requireTag(ctx: RequestContext): SimTag {
  const tag = ctx.world.state.tags.find((t) => t.id === ctx.params.tagId);
  if (!tag) throw notFound('Tag not found');
  return tag;
}

function renameTag(ctx: RequestContext) {
  canEditTags(ctx);
  const body = bodyObject(ctx.body);
  const name = readName(body);
  readType('TagBasePayload', body);
  const tag = requireTag(ctx);
  if (name !== tag.name && workspaceTags(ctx).some((t) => t.type === tag.type && t.name === name && t.id !== tag.id)) {
    throw invalidParam('Tag name already exists');
  }
  tag.name = name;
  return json(tagView(ctx, tag));
}

function deleteTag(ctx: RequestContext) {
  const tag = requireTag(ctx);
  const { state } = ctx.world;
  state.tags = state.tags.filter((t) => t !== tag);
  for (const app of state.apps) app.tag_ids = app.tag_ids.filter((id) => id !== tag.id);
  return noContent();
}

function bindingTarget(ctx: RequestContext, model: string, body: Record<string, unknown>) {
  const targetId = requiredString(model, body, 'target_id');
  const type = readType(model, body);
  if (type === 'knowledge') throw notFound('Dataset not found');
  const app = findApp(ctx.world, targetId);
  if (!app) throw notFound('App not found');
  return app;
}

function bind(model: string) {
  return (ctx: RequestContext) => {
    canEditTags(ctx);
    const body = bodyObject(ctx.body);
    const tagIds = readTagIds(model, body, false);
    const app = bindingTarget(ctx, model, body);
    for (const id of tagIds) if (!app.tag_ids.includes(id)) app.tag_ids.push(id);
    return json({ result: 'success' });
  };
}

function unbind(ctx: RequestContext) {
  canEditTags(ctx);
  const body = bodyObject(ctx.body);
  const v2 = ctx.world.profile.tagBindings === 'v2';
  const model = 'TagBindingRemovePayload';
  const tagIds = v2 ? readTagIds(model, body, true) : [requiredString(model, body, 'tag_id')];
  const app = bindingTarget(ctx, model, body);
  app.tag_ids = app.tag_ids.filter((id) => !tagIds.includes(id));
  return json({ result: 'success' });
}

export const routes: Route[] = [
  { method: 'GET', path: '/console/api/tags', auth: 'console', handler: listTags },
  { method: 'POST', path: '/console/api/tags', auth: 'console', body: 'json', handler: createTag },
  { method: 'PATCH', path: '/console/api/tags/:tagId<uuid>', auth: 'console', body: 'json', handler: renameTag },
  { method: 'DELETE', path: '/console/api/tags/:tagId<uuid>', auth: 'console:edit', handler: deleteTag },
  { method: 'POST', path: '/console/api/tag-bindings', auth: 'console', body: 'json', when: (p) => p.tagBindings === 'v2', handler: bind('TagBindingPayload') },
  { method: 'POST', path: '/console/api/tag-bindings/create', auth: 'console', body: 'json', when: (p) => p.tagBindings === 'v1', handler: bind('TagBindingCreatePayload') },
  { method: 'POST', path: '/console/api/tag-bindings/remove', auth: 'console', body: 'json', handler: unbind },
];
