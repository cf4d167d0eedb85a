// Runs the Dify simulator on its own thread inside the benchmark's process, so the client being
// measured does not share an event loop with the server's work (YAML dumping, routing).
// Protocol: workerData = SimulatorOptions (JSON-safe part); posts { url } once listening;
// closes the simulator and exits when it receives 'close'.

import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type SimulatorOptions } from '../../src/simulator/server.js';

const port = parentPort;
if (port === null) throw new Error('simulator-worker must run in a worker thread');
const sim = await startSimulator(workerData as SimulatorOptions);
port.on('message', (message: unknown) => {
  if (message !== 'close') return;
  void sim.close().then(() => port.close());
});
port.postMessage({ url: sim.url });
