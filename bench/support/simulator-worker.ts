// Runs a server on its own thread inside the benchmark's process, so the client being measured
// does not share an event loop with the server's work. Two kinds:
//   'simulator' — the Dify simulator (startSimulator options in `options`);
//   'canned'    — a minimal node:http server that answers GET /v1/ and then every request with
//                 the same JSON body after `latencyMs`: the client's overhead with no server work.
// Posts { url } once listening; closes and exits on the message 'close'.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type SimulatorOptions } from '../../src/simulator/server.js';

export type ServerSpec =
  | { kind: 'simulator'; options: SimulatorOptions }
  | { kind: 'canned'; latencyMs: number; serverVersion: string; body: string };

async function startCanned(spec: Extract<ServerSpec, { kind: 'canned' }>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = req.url === '/v1/' ? JSON.stringify({ server_version: spec.serverVersion }) : spec.body;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), req.url === '/v1/' ? 0 : spec.latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const port = parentPort;
if (port === null) throw new Error('simulator-worker must run in a worker thread');
const spec = workerData as ServerSpec;
const running = spec.kind === 'simulator' ? await startSimulator(spec.options) : await startCanned(spec);
port.on('message', (message: unknown) => {
  if (message !== 'close') return;
  void running.close().then(() => port.close());
});
port.postMessage({ url: running.url });
