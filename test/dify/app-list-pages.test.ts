// The app list reads page 1, then the other pages at once; apps created while it pages must not
// be missed (a pass whose pages disagree is read again), and a server without `total` is paged
// one by one. A scripted node:http server holds the app rows and answers like Dify (created_at desc).
import { afterEach, describe, expect, it } from 'vitest';
import { createDifyClient, type DifyClient } from '../../src/dify/index.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { sendJson, startScriptedServer, type ScriptedServer, type SeenRequest } from '../support/scripted-http-server.js';

let server: ScriptedServer | undefined;
let client: DifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

function row(n: number): Record<string, unknown> {
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `app-${n}`, mode: 'workflow', updated_at: 1_700_000_000, workflow: null };
}

/** Newest first, as Dify sorts them. */
const rows: Record<string, unknown>[] = [];

function pageOf(url: URL, withTotal: boolean): Record<string, unknown> {
  const page = Number(url.searchParams.get('page'));
  const limit = Number(url.searchParams.get('limit'));
  const data = rows.slice((page - 1) * limit, page * limit);
  return { page, limit, ...(withTotal ? { total: rows.length } : {}), has_more: page * limit < rows.length, data };
}

async function start(answer: (req: SeenRequest, url: URL) => Promise<Record<string, unknown>> | Record<string, unknown>): Promise<void> {
  server = await startScriptedServer(async (req, res) => {
    if (req.url === '/v1/') return sendJson(res, 200, { server_version: '1.14.1' });
    sendJson(res, 200, await answer(req, new URL(req.url, 'http://x')));
  });
  client = createDifyClient({ baseUrl: server.url, auth: { kind: 'admin-key', apiKey: 'admin-key-pages', workspaceId: 'ws' }, redactor: new Redactor(), concurrency: 8 });
}

const pagesAsked = (): number[] => server!.requests.filter((r) => r.url.startsWith('/console/api/apps')).map((r) => Number(new URL(r.url, 'http://x').searchParams.get('page')));

describe('app list paging', () => {
  it('reads page 1, then every other page at once', async () => {
    rows.splice(0, rows.length, ...Array.from({ length: 450 }, (_, i) => row(450 - i)));
    // Pages 2–5 are held until all four have arrived (or 5 s passed): only a client that sends
    // them together gets them all answered at once.
    let held: (() => void)[] = [];
    let together = false;
    await start(async (_req, url) => {
      if (url.searchParams.get('page') !== '1') {
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (held.length === 4) {
            together = true;
            held.forEach((release) => release());
            held = [];
          } else setTimeout(resolve, 5_000);
        });
      }
      return pageOf(url, true);
    });
    const apps = await client!.apps.list();
    expect(apps.map((a) => a.name)).toEqual(rows.map((r) => r.name));
    expect(pagesAsked()[0]).toBe(1);
    expect(pagesAsked().slice(1).sort()).toEqual([2, 3, 4, 5]);
    expect(together).toBe(true);
  });

  it('reads again when an app created meanwhile shifted a page that was read out of order', async () => {
    rows.splice(0, rows.length, ...Array.from({ length: 250 }, (_, i) => row(250 - i)));
    let pageThreeAnswered: () => void = () => undefined;
    const pageThree = new Promise<void>((resolve) => (pageThreeAnswered = resolve));
    let firstPass = true;
    await start(async (_req, url) => {
      const page = url.searchParams.get('page');
      if (firstPass && page === '3') {
        const body = pageOf(url, true); // app-51 … app-1
        pageThreeAnswered();
        return body;
      }
      if (firstPass && page === '2') {
        await pageThree;
        rows.unshift(row(251)); // created now: app-51 moves from page 2 to page 3, which was already read
        firstPass = false;
        return pageOf(url, true);
      }
      return pageOf(url, true);
    });
    const apps = await client!.apps.list();
    const names = apps.map((a) => a.name);
    expect(names).toHaveLength(251);
    expect(new Set(names).size).toBe(251);
    expect(names).toContain('app-51');
    expect(names[0]).toBe('app-251');
    // Pass 1: pages 1, 2, 3 (2 reported 251 apps where 1 said 250); pass 2: pages 1, 2, 3.
    expect(pagesAsked()).toHaveLength(6);
    expect(pagesAsked().filter((p) => p === 1)).toHaveLength(2);
  });

  it('shows each page to onPage as it arrives, page 1 before the others are answered', async () => {
    rows.splice(0, rows.length, ...Array.from({ length: 250 }, (_, i) => row(250 - i)));
    let releaseRest: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (releaseRest = resolve));
    await start(async (_req, url) => {
      if (url.searchParams.get('page') !== '1') await rest;
      return pageOf(url, true);
    });
    const seen: string[][] = [];
    const listing = client!.apps.list({}, (apps) => {
      seen.push(apps.map((a) => a.name));
      // Page 1 is handed over while pages 2 and 3 are still unanswered.
      if (seen.length === 1) releaseRest();
    });
    const apps = await listing;
    expect(seen[0]).toEqual(rows.slice(0, 100).map((r) => r.name));
    expect(seen.flat().sort()).toEqual(apps.map((a) => a.name).sort());
    expect(seen).toHaveLength(3);
  });

  it('shows a page again when a later pass reads it again', async () => {
    rows.splice(0, rows.length, ...Array.from({ length: 150 }, (_, i) => row(150 - i)));
    let created = false;
    await start((_req, url) => {
      const body = pageOf(url, true);
      // An app is created after the first page 2: that pass counts 150 apps on page 1 and 151 on page 2.
      if (!created && url.searchParams.get('page') === '2') {
        rows.unshift(row(151));
        created = true;
        return { ...body, total: rows.length };
      }
      return body;
    });
    const seen: string[] = [];
    const apps = await client!.apps.list({}, (page) => seen.push(...page.map((a) => a.name)));
    expect(apps).toHaveLength(151);
    expect(pagesAsked()).toEqual([1, 2, 1, 2]);
    expect(seen.filter((name) => name === 'app-150')).toHaveLength(2);
    expect(seen).toContain('app-151');
  });

  it('pages one by one when the server sends no total', async () => {
    rows.splice(0, rows.length, ...Array.from({ length: 230 }, (_, i) => row(230 - i)));
    await start((_req, url) => pageOf(url, false));
    const seen: string[] = [];
    const apps = await client!.apps.list({}, (page) => seen.push(...page.map((a) => a.name)));
    expect(apps.map((a) => a.name)).toEqual(rows.map((r) => r.name));
    expect(seen).toEqual(rows.map((r) => r.name));
    expect(pagesAsked()).toEqual([1, 2, 3]);
    expect(server!.maxInFlight).toBe(1);
  });
});
