// A real HTTP receiver of signed callbacks on 127.0.0.1 (port 0) that checks each delivery with
// verifyCallback, as a user's receiver would. Records every request and its verdict; `script`
// can answer with a fault (a status, or a dropped connection) per request number.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCallback, type ReplayGuard, type VerifyCallbackResult } from '../../src/callbacks/index.js';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  verdict: VerifyCallbackResult | undefined;
  status: number | 'dropped' | 'hung';
}

/**
 * Per request (1-based): a status to answer without verifying, 'drop' to reset the socket, 'hang'
 * to never answer (until close), or undefined to verify and answer 200 or 401.
 */
export type ReceiverScript = (requestNumber: number) => number | 'drop' | 'hang' | undefined;

export interface CallbackReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  close(): Promise<void>;
}

export async function startCallbackReceiver(options: {
  secret: string | string[];
  now?: () => number;
  replayGuard?: ReplayGuard;
  toleranceSeconds?: number;
  script?: ReceiverScript;
}): Promise<CallbackReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const scripted = options.script?.(deliveries.length + 1);
        if (scripted === 'drop') {
          deliveries.push({ headers: req.headers, body, verdict: undefined, status: 'dropped' });
          req.socket.destroy();
          return;
        }
        if (scripted === 'hang') {
          deliveries.push({ headers: req.headers, body, verdict: undefined, status: 'hung' });
          return;
        }
        if (scripted !== undefined) {
          deliveries.push({ headers: req.headers, body, verdict: undefined, status: scripted });
          if (scripted === 429) res.setHeader('retry-after', '2');
          res.writeHead(scripted).end();
          return;
        }
        const verdict = await verifyCallback({
          body,
          headers: req.headers,
          secret: options.secret,
          ...(options.now === undefined ? {} : { now: options.now }),
          ...(options.replayGuard === undefined ? {} : { replayGuard: options.replayGuard }),
          ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
        });
        const status = verdict.ok ? 200 : 401;
        deliveries.push({ headers: req.headers, body, verdict, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/dify-gitops`,
    deliveries,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
