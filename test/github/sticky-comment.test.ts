import { describe, it, expect } from 'vitest';
import { MARKER_RESERVE } from '../../src/github/comment-marker.js';
import { splitMarkdown } from '../../src/github/split-comment.js';
import { ensureStickyComment, type EnsureStickyCommentOptions } from '../../src/github/sticky-comment.js';
import { InternalError } from '../../src/errors.js';
import { startFakeGitHub, useFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import type { FakeComment } from '../support/fake-github-state.js';
import { testClient } from '../support/github-test-client.js';

const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);

function sticky(fake: FakeGitHub, overrides: Partial<EnsureStickyCommentOptions> & Pick<EnsureStickyCommentOptions, 'parts'>) {
  const { gh } = testClient(fake);
  return ensureStickyComment({ gh, owner: 'acme', repo: 'dify-apps', issueNumber: 7, marker: 'plan:production', headSha: SHA1, ...overrides });
}

function onPr(fake: FakeGitHub): FakeComment[] {
  return fake.state.comments.filter((c) => c.issue_number === 7);
}

function seed(fake: FakeGitHub, body: string, login = 'github-actions[bot]', issue = 7): FakeComment {
  const id = fake.state.nextId();
  const comment: FakeComment = {
    id,
    node_id: `IC_seed_${id}`,
    issue_number: issue,
    body,
    user: { login },
    created_at: fake.state.now(),
    updated_at: fake.state.now(),
    html_url: `https://github.com/acme/dify-apps/pull/${issue}#issuecomment-${id}`,
    minimized: null,
  };
  fake.state.comments.push(comment);
  return comment;
}

describe('ensureStickyComment', () => {
  const fake = useFakeGitHub();
  const writes = () => fake().requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

  it('posts the first plan, then edits the same comment on the next push', async () => {
    const first = await sticky(fake(), { parts: ['plan v1'] });
    expect(first.comments).toEqual([{ part: 1, id: expect.any(Number), url: expect.stringContaining('#issuecomment-'), action: 'created' }]);
    expect(onPr(fake()).map((c) => c.body)).toEqual([`<!-- dify-gitops:plan:production:part-1/1 sha=${SHA1} -->\nplan v1`]);

    const second = await sticky(fake(), { parts: ['plan v2'], headSha: SHA2 });
    expect(second.comments[0]).toMatchObject({ id: first.comments[0]!.id, action: 'updated' });
    expect(onPr(fake()).map((c) => c.body)).toEqual([`<!-- dify-gitops:plan:production:part-1/1 sha=${SHA2} -->\nplan v2`]);

    fake().requests.length = 0;
    const third = await sticky(fake(), { parts: ['plan v2'], headSha: SHA2 });
    expect(third.comments[0]!.action).toBe('unchanged');
    expect(writes()).toEqual([]);
  });

  it('grows to several parts and shrinks back, deleting the parts no longer needed', async () => {
    await sticky(fake(), { parts: ['only part'] });
    const grown = await sticky(fake(), { parts: ['one', 'two', 'three'], headSha: SHA2 });
    expect(grown.comments.map((c) => c.action)).toEqual(['updated', 'created', 'created']);
    expect(onPr(fake()).map((c) => c.body.split('\n')[0])).toEqual([1, 2, 3].map((i) => `<!-- dify-gitops:plan:production:part-${i}/3 sha=${SHA2} -->`));

    const shrunk = await sticky(fake(), { parts: ['one again'], headSha: SHA2 });
    expect(shrunk.retired.map((r) => r.action)).toEqual(['deleted', 'deleted']);
    expect(onPr(fake()).map((c) => c.body)).toEqual([`<!-- dify-gitops:plan:production:part-1/1 sha=${SHA2} -->\none again`]);
    expect(onPr(fake())[0]!.id).toBe(grown.comments[0]!.id);
  });

  it('can hide surplus parts as OUTDATED instead of deleting them', async () => {
    await sticky(fake(), { parts: ['one', 'two', 'three'] });
    const result = await sticky(fake(), { parts: ['one'], headSha: SHA2, surplus: 'hide' });
    expect(result.retired.map((r) => r.action)).toEqual(['minimized', 'minimized']);
    const [one, two, three] = onPr(fake());
    for (const [comment, text] of [[two!, 'two'], [three!, 'three']] as const) {
      expect(comment.minimized).toEqual({ classifier: 'OUTDATED' });
      expect(comment.body).toBe(`<!-- dify-gitops-retired:plan:production:part-${text === 'two' ? 2 : 3}/3 sha=${SHA1} -->\n${text}`);
    }
    // Retired markers are never picked up again: the next run edits part 1 (now "1/2") and
    // posts a new part 2 instead of reviving the hidden one.
    fake().requests.length = 0;
    await sticky(fake(), { parts: ['one', 'two new'], headSha: SHA2 });
    expect(writes()).toEqual([`PATCH /repos/acme/dify-apps/issues/comments/${one!.id}`, 'POST /repos/acme/dify-apps/issues/7/comments']);
  });

  it('repost: hides the comments of an earlier push after posting fresh ones', async () => {
    const old = await sticky(fake(), { parts: ['old 1', 'old 2'], strategy: 'repost' });
    const fresh = await sticky(fake(), { parts: ['new 1', 'new 2'], headSha: SHA2, strategy: 'repost' });
    expect(fresh.comments.map((c) => c.action)).toEqual(['created', 'created']);
    expect(fresh.retired).toEqual(old.comments.map((c) => ({ id: c.id, action: 'minimized' })));
    const comments = onPr(fake());
    expect(comments.map((c) => c.minimized?.classifier ?? null)).toEqual(['OUTDATED', 'OUTDATED', null, null]);
    expect(writes().slice(0, 2)).toEqual(['POST /repos/acme/dify-apps/issues/7/comments', 'POST /repos/acme/dify-apps/issues/7/comments']);
    // Same push again: edited in place, nothing new.
    const again = await sticky(fake(), { parts: ['new 1', 'new 2 edited'], headSha: SHA2, strategy: 'repost' });
    expect(again.comments.map((c) => c.action)).toEqual(['unchanged', 'updated']);
    expect(onPr(fake())).toHaveLength(4);
  });

  it('falls back to an "outdated" body when GitHub refuses minimizeComment', async () => {
    fake().options.minimizeComment = 'forbidden';
    await sticky(fake(), { parts: ['old plan'], strategy: 'repost' });
    const result = await sticky(fake(), { parts: ['new plan'], headSha: SHA2, strategy: 'repost' });
    expect(result.retired.map((r) => r.action)).toEqual(['marked-outdated']);
    const [old] = onPr(fake());
    expect(old!.minimized).toBeNull();
    expect(old!.body).toBe(
      `<!-- dify-gitops-retired:plan:production:part-1/1 sha=${SHA1} -->\n` +
        `_This comment for commit ${SHA1.slice(0, 12)} is outdated (now at ${SHA2.slice(0, 12)})._`,
    );
  });

  it('leaves other families, other people and look-alike markers alone', async () => {
    const staging = seed(fake(), '<!-- dify-gitops:plan:staging:part-1/1 -->\nstaging plan');
    const human = seed(fake(), 'LGTM');
    const spoof = seed(fake(), `<!-- dify-gitops:plan:production:part-1/1 sha=${SHA1} -->\nnot ours`, 'mallory');
    await sticky(fake(), { parts: ['prod plan'], author: 'github-actions[bot]' });
    await sticky(fake(), { parts: [], author: 'github-actions[bot]' });
    expect(onPr(fake()).map((c) => c.id)).toEqual([staging.id, human.id, spoof.id]);
    expect(spoof.body).toContain('not ours');
  });

  it('finds its comment on a later page of a long conversation', async () => {
    for (let i = 0; i < 230; i++) seed(fake(), `chatter ${i}`);
    const ours = seed(fake(), `<!-- dify-gitops:plan:production:part-1/1 sha=${SHA1} -->\nold`);
    for (let i = 0; i < 20; i++) seed(fake(), `more chatter ${i}`);
    const result = await sticky(fake(), { parts: ['new'], headSha: SHA2 });
    expect(result.comments[0]).toMatchObject({ id: ours.id, action: 'updated' });
    expect(fake().requests.filter((r) => r.method === 'GET').map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
  });

  it('keeps the newest of duplicate parts left by racing runs and deletes the others', async () => {
    const older = seed(fake(), `<!-- dify-gitops:plan:production:part-1/1 sha=${SHA1} -->\nrun A`);
    const newer = seed(fake(), `<!-- dify-gitops:plan:production:part-1/1 sha=${SHA1} -->\nrun B`);
    const result = await sticky(fake(), { parts: ['run C'] });
    expect(result.comments[0]!.id).toBe(newer.id);
    expect(result.retired).toEqual([{ id: older.id, action: 'deleted' }]);
    expect(onPr(fake()).map((c) => c.id)).toEqual([newer.id]);
  });

  it('posts a body split by splitMarkdown; GitHub accepts every part', async () => {
    const body = Array.from({ length: 9000 }, (_, i) => `| app-${i} | ~ update | ${'x'.repeat(i % 40)} |`);
    const parts = splitMarkdown(['| app | change | detail |', '| --- | --- | --- |', ...body].join('\n'), {
      reserve: MARKER_RESERVE,
      maxParts: 10,
    });
    expect(parts.length).toBeGreaterThan(3);
    const result = await sticky(fake(), { parts });
    expect(result.comments).toHaveLength(parts.length);
    expect(fake().requests.every((r) => r.status < 400)).toBe(true);
    expect(onPr(fake()).map((c) => c.body.split('\n')[0])).toEqual(
      parts.map((_, i) => `<!-- dify-gitops:plan:production:part-${i + 1}/${parts.length} sha=${SHA1} -->`),
    );
  });

  it('refuses too many or too long parts before calling GitHub', async () => {
    await expect(sticky(fake(), { parts: ['a', 'b', 'c'], maxComments: 2 })).rejects.toThrow(InternalError);
    await expect(sticky(fake(), { parts: ['x'.repeat(65_500)] })).rejects.toThrow(/split with splitMarkdown\(body, \{ reserve: 256 \}\)/);
    await expect(sticky(fake(), { parts: ['ok'], marker: 'bad marker -->' })).rejects.toThrow(/comment marker/);
    expect(fake().requests).toEqual([]);
  });

  it('uses GraphQL at /api/graphql on GitHub Enterprise Server', async () => {
    await using ghes = await startFakeGitHub({ enterprise: true });
    await sticky(ghes, { parts: ['v1'], strategy: 'repost' });
    const result = await sticky(ghes, { parts: ['v2'], headSha: SHA2, strategy: 'repost' });
    expect(result.retired.map((r) => r.action)).toEqual(['minimized']);
    expect(ghes.requests.some((r) => r.path === '/graphql' && r.status === 200)).toBe(true);
    expect(ghes.unexpected).toEqual([]);
  });
});
