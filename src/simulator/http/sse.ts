// Server-sent events exactly as Dify frames them (contract §8.4): `data: <json>` + blank line,
// pings as `event: ping` + blank line with no data, no terminal marker. JSON is compact in the
// 1.14 profile and Python json.dumps style in 1.0.x. The server pings every pingIntervalMs.

import type { ServerResponse } from 'node:http';
import { pythonJsonDumps } from '../dsl/python-json.js';
import type { SseSink } from './route.js';

export function createSseSink(
  res: ServerResponse,
  style: 'compact' | 'python',
  pingIntervalMs: number,
  signal: AbortSignal,
): { sink: SseSink; stop: () => void } {
  let closed = false;
  const write = (text: string): boolean => {
    if (closed || res.writableEnded || res.destroyed) return false;
    res.write(text);
    return true;
  };
  const timer = pingIntervalMs > 0 ? setInterval(() => write('event: ping\n\n'), pingIntervalMs) : undefined;
  timer?.unref();
  const stop = (): void => {
    closed = true;
    if (timer) clearInterval(timer);
  };
  signal.addEventListener('abort', stop, { once: true });
  const sink: SseSink = {
    send(payload) {
      const body = style === 'python' ? pythonJsonDumps(payload) : JSON.stringify(payload);
      return write(`data: ${body}\n\n`);
    },
    ping() {
      write('event: ping\n\n');
    },
    get closed() {
      return closed || res.destroyed;
    },
    signal,
  };
  return { sink, stop };
}
