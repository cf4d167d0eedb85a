// Tags and tag bindings (contract §11 "Tags"). Bindings changed shape in 1.14.0:
// `POST /tag-bindings` + remove with a `tag_ids` list, versus `/tag-bindings/create` + remove one
// `tag_id` per call before. Binding and unbinding are idempotent in Dify (an existing binding is
// skipped, a missing one ignored), so both are retried like PUTs.

import { arrayOf, defineShape, obj, str } from '../shapes.js';
import type { Tag, TagType } from '../types.js';
import { deleteOnce, type ConsoleContext } from './context.js';

const TAG = obj({ id: str, name: str, type: str });
const TAG_LIST = defineShape<Tag[]>('tag list', arrayOf(TAG));
const ONE_TAG = defineShape<Tag>('tag', TAG);

export interface TagsApi {
  list(type?: TagType, keyword?: string): Promise<Tag[]>;
  /** A duplicate name gives 400. Not retried. */
  create(name: string, type?: TagType): Promise<Tag>;
  rename(tagId: string, name: string, type?: TagType): Promise<Tag>;
  delete(tagId: string): Promise<void>;
  bind(tagIds: readonly string[], targetId: string, type?: TagType): Promise<void>;
  unbind(tagIds: readonly string[], targetId: string, type?: TagType): Promise<void>;
}

export function createTagsApi(ctx: ConsoleContext): TagsApi {
  return {
    list: (type = 'app', keyword) => ctx.json({ method: 'GET', path: '/tags', query: { type, keyword } }, TAG_LIST),
    create: (name, type = 'app') => ctx.json({ method: 'POST', path: '/tags', json: { name, type } }, ONE_TAG),
    rename: (tagId, name, type = 'app') =>
      ctx.json({ method: 'PATCH', path: `/tags/${encodeURIComponent(tagId)}`, json: { name, type }, idempotent: true }, ONE_TAG),
    delete: (tagId) => deleteOnce(ctx, { method: 'DELETE', path: `/tags/${encodeURIComponent(tagId)}` }),
    async bind(tagIds, targetId, type = 'app') {
      if (tagIds.length === 0) return;
      const { capabilities } = await ctx.serverInfo();
      const path = capabilities.tagBindings === 'v2' ? '/tag-bindings' : '/tag-bindings/create';
      await ctx.send({ method: 'POST', path, json: { tag_ids: tagIds, target_id: targetId, type }, idempotent: true });
    },
    async unbind(tagIds, targetId, type = 'app') {
      if (tagIds.length === 0) return;
      const { capabilities } = await ctx.serverInfo();
      if (capabilities.tagBindings === 'v2') {
        await ctx.send({ method: 'POST', path: '/tag-bindings/remove', json: { tag_ids: tagIds, target_id: targetId, type }, idempotent: true });
        return;
      }
      for (const tagId of tagIds) {
        await ctx.send({ method: 'POST', path: '/tag-bindings/remove', json: { tag_id: tagId, target_id: targetId, type }, idempotent: true });
      }
    },
  };
}
