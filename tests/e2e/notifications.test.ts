import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlipwayEvent, StatusReport } from '@slipway/core';
import { cli, freePort, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

type Received = { text: string; attachments: { color: string; title: string; text: string; fields: { title: string; value: string }[] }[] };

/**
 * Notifications to a local HTTP receiver standing in for a Slack incoming webhook: promotions and approvals needed
 * arrive as Slack JSON, a 500 is retried, a 404 is recorded as notification.failed and never holds up the deploy, and
 * the webhook URL (a secret) appears in no event and no server output.
 */
describe('notifications to a chat webhook', () => {
  const dir = tempDir('notifications');
  const repo = join(dir.path, 'repo');
  const received: Received[] = [];
  let requests = 0;
  let answer: (n: number) => number = (n) => (n === 1 ? 500 : 200);
  let receiver: Server;
  let hookUrl = '';
  let s: ServerProcess;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests++;
        const status = answer(requests);
        if (status === 200) received.push(JSON.parse(body) as Received);
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/services/T000/B000/s3cr3t-hook-path`;
    const config = 'project: notes\nservices:\n  api:\n    path: api\n    command: node server.mjs\nenvironments:\n  dev: {}\n  prod:\n    policy:\n      approvals: 1\n';
    await initRepo(repo, { 'slipway.yaml': config, 'api/server.mjs': "import http from 'node:http';\nhttp.createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n" });
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    // The secret first, then the project: its first release is notified.
    expect((await cli(['secrets', 'set', 'NOTIFY_WEBHOOK_URL', '--value', hookUrl, '--server', s.url])).code).toBe(0);
    await addProject(s, repo, 'notes');
  });

  afterAll(async () => {
    await s?.stop();
    receiver?.close();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('sends promotions and approvals needed as Slack JSON, retrying a 500', async () => {
    const approval = await waitFor('the approval-needed notification', async () => received.find((r) => r.text === 'notes: v1 to prod needs approval'), 30_000, 100);
    expect(approval.attachments[0]).toMatchObject({ color: '#b7791f', title: 'notes: v1 to prod needs approval', fields: expect.arrayContaining([{ title: 'Environment', value: 'prod', short: true }]) });
    expect(approval.attachments[0]!.text).toMatch(/^0 of 1 approval \(role approver\)\. Approve with `slipway approve prm_\w+`/);
    const live = received.find((r) => r.text === 'notes: v1 is live in dev');
    expect(live?.attachments[0]?.color).toBe('#1a7f37');
    // The first answer was a 500: one request more than notifications received.
    expect(requests).toBe(received.length + 1);
    const sent = (await s.events()).filter((e) => e.kind === 'notification.sent');
    expect(sent.map((e) => e.data.topic).sort()).toEqual(['approval', 'promotion']);
  });

  it('records a 404 as notification.failed without retrying, and the deploy goes on; the URL shows nowhere', async () => {
    answer = () => 404;
    const before = requests;
    const [waiting] = (await s.get<StatusReport>('/api/status')).projects[0]!.environments.find((e) => e.name === 'prod')!.waiting;
    expect((await cli(['approve', waiting!.promotionId, '--server', s.url])).code).toBe(0);
    await waitFor('v1 healthy in prod', async () => (await s.get<StatusReport>('/api/status')).projects[0]!.environments.find((e) => e.name === 'prod')?.health === 'healthy', 30_000, 100);
    const failed = await waitFor('notification.failed', async () => (await s.events()).find((e: SlipwayEvent) => e.kind === 'notification.failed'), 15_000, 100);
    expect(failed.data).toMatchObject({ topic: 'promotion', environment: 'prod', httpStatus: 404, attempts: 1 });
    expect(requests).toBe(before + 1);
    const everything = JSON.stringify(await s.events()) + s.output();
    expect(everything).not.toContain('s3cr3t-hook-path');
  });
});
