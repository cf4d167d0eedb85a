// Starts a benchmark server (the simulator, or the canned minimal server) on a worker thread of
// this process, so its CPU work does not share the client's event loop, and reports how busy that
// thread was. Shared by every benchmark that talks to a server.

import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ServerSpec } from './simulator-worker.js';

export interface WorkerServer {
  url: string;
  where: 'worker thread';
  /** Event-loop utilisation of the server's thread. */
  utilization: (previous?: EventLoopUtilization) => EventLoopUtilization;
  close(): Promise<void>;
}

export async function startServerWorker(spec: ServerSpec): Promise<WorkerServer> {
  const worker = new Worker(new URL('./simulator-worker.js', import.meta.url), { workerData: spec });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { url: string }) => resolve(message.url));
    worker.once('error', reject);
  });
  return {
    url,
    where: 'worker thread',
    utilization: (previous) => worker.performance.eventLoopUtilization(previous),
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
