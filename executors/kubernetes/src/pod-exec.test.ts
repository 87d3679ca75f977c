import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { KubeConfig } from '@kubernetes/client-node';
import { execInPod, execUrl } from './pod-exec.js';

/**
 * The exec websocket's framing, against a local server that speaks the channel protocol the way the API server does
 * (a byte for the stream, then the payload; a metav1.Status on channel 3; then close). The real API server is in
 * kubernetes-executor.e2e.test.ts.
 */
const target = { namespace: 'ci', pod: 'slipway-p', container: 'job' };
let server: WebSocketServer;
let url = '';
const frame = (channel: number, payload: string | Buffer) => Buffer.concat([Buffer.from([channel]), Buffer.from(payload)]);

beforeAll(async () => {
  server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (protocols) => (protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false),
    verifyClient: ({ req }, done) => (req.url?.includes('pod=refused') || req.url?.includes('/pods/refused/') ? done(false, 500, 'error dialing backend') : done(true)),
  });
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('connection', (ws, req) => {
    const command = new URL(req.url!, url).searchParams.getAll('command');
    if (command[0] === 'drop') return ws.terminate();
    ws.send(frame(1, 'hel'));
    ws.send(frame(2, 'warn\n'));
    ws.send(frame(1, `lo ${command.join(' ')}\n`));
    // v5 close frames for the output streams: ignored.
    ws.send(Buffer.from([255, 1]));
    const code = Number(command.at(-1));
    ws.send(frame(3, code === 0 ? '{"status":"Success"}' : JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } })));
    ws.close();
  });
});
afterAll(() => server.close());

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return kc;
}

describe('execInPod', () => {
  it('builds the exec URL with each word of the command', () => {
    expect(execUrl('https://api.example:6443/', target, ['sh', '-c', 'echo a&b'])).toBe(
      'wss://api.example:6443/api/v1/namespaces/ci/pods/slipway-p/exec?container=job&stdout=true&stderr=true&command=sh&command=-c&command=echo+a%26b',
    );
  });

  it.each([0, 3, 137])('hands over output by stream as it arrives, and exit code %i', async (code) => {
    const chunks: string[] = [];
    const exec = await execInPod(kubeConfig(), url, target, ['run', String(code)], (stream, chunk) => chunks.push(`${stream}:${chunk.toString()}`));
    expect(await exec.done).toEqual({ exitCode: code });
    expect(chunks).toEqual(['stdout:hel', 'stderr:warn\n', `stdout:lo run ${code}\n`]);
  });

  it("says why the API server refused the exec (here, that it cannot reach the node's kubelet)", async () => {
    const exec = await execInPod(kubeConfig(), url, { ...target, pod: 'refused' }, ['true'], () => {});
    expect(await exec.done).toEqual({ error: expect.stringMatching(/^the API server refused the exec \(HTTP 500\): /) });
  });

  it('reports a connection that closed without an exit status', async () => {
    const exec = await execInPod(kubeConfig(), url, target, ['drop'], () => {});
    expect(await exec.done).toEqual({ error: 'the exec connection closed before the command reported an exit status' });
  });

  it('reports a server that does not answer', async () => {
    const exec = await execInPod(kubeConfig(), 'http://127.0.0.1:1', target, ['true'], () => {});
    expect(await exec.done).toEqual({ error: expect.stringMatching(/^the exec connection failed: .*ECONNREFUSED/) });
  });
});
