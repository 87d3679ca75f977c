import type { RequestOptions } from 'node:https';
import WebSocket from 'ws';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseExecStatus, type ExecOutcome } from './exec-status.js';

/** The stream protocols of the exec subresource; v5 adds a close signal, v4 is what older API servers speak. */
const protocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const channel = { stdout: 1, stderr: 2, status: 3, close: 255 } as const;

/** A running exec: `done` settles when the command ended (or the connection did); `abort` drops the connection. */
export interface PodExec {
  done: Promise<ExecOutcome>;
  abort(): void;
}

export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** The exec subresource's URL for a command, with stdout and stderr and without stdin or a TTY. */
export function execUrl(server: string, target: ExecTarget, command: string[]): string {
  const query = new URLSearchParams({ container: target.container, stdout: 'true', stderr: 'true' });
  for (const word of command) query.append('command', word);
  const base = server.replace(/^http/, 'ws').replace(/\/+$/, '');
  return `${base}/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec?${query.toString()}`;
}

/**
 * Runs a command in a pod's container through the exec websocket and hands over its output as it arrives, chunk by
 * chunk and stream by stream. The client library's Exec helper is not used: it does not report why an upgrade was
 * refused (the API server says so in the response body, e.g. that it cannot reach the node's kubelet) and throws on
 * v5's close frames. A refused upgrade or a dropped connection resolves to an error, never a hang.
 */
export async function execInPod(kc: KubeConfig, server: string, target: ExecTarget, command: string[], onData: (stream: 'stdout' | 'stderr', chunk: Buffer) => void, connectTimeoutMs = 30_000): Promise<PodExec> {
  const options: RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const ws = new WebSocket(execUrl(server, target, command), protocols, { ...(options as WebSocket.ClientOptions), handshakeTimeout: connectTimeoutMs });
  let status: string | undefined;
  const done = new Promise<ExecOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: ExecOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').trim();
        let message = body;
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? body;
        } catch {
          // A plain-text body is the message.
        }
        settle({ error: `the API server refused the exec (HTTP ${res.statusCode}): ${message || res.statusMessage}` });
        ws.terminate();
      });
    });
    ws.on('error', (err) => settle({ error: `the exec connection failed: ${err.message}` }));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary || data.length === 0) return;
      const which = data[0];
      const payload = data.subarray(1);
      if (which === channel.stdout) onData('stdout', payload);
      else if (which === channel.stderr) onData('stderr', payload);
      else if (which === channel.status) status = (status ?? '') + payload.toString('utf8');
    });
    ws.on('close', () => settle(parseExecStatus(status)));
  });
  return { done, abort: () => ws.terminate() };
}
