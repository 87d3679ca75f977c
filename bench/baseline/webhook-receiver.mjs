#!/usr/bin/env node
// Baseline for bench/webhook-to-run.mjs: the least a webhook receiver can do. A bare Node HTTP server checks GitHub's
// X-Hub-Signature-256 (HMAC-SHA256 of the raw body, constant-time compare), parses the JSON, inserts a "queued run"
// row into SQLite (better-sqlite3, WAL, synchronous=NORMAL as Slipway's store), answers 202 and writes the row to an SSE
// stream, which is where the bench sees it, as it sees Slipway's run.queued events.
//
//   PORT=… SECRET=… DB=… node bench/baseline/webhook-receiver.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const secret = process.env.SECRET ?? '';
const db = new Database(process.env.DB ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('create table if not exists runs (id integer primary key, delivery text unique, sha text not null, created_at text not null)');
const insert = db.prepare('insert into runs (delivery, sha, created_at) values (?, ?, ?) on conflict (delivery) do nothing');
const streams = new Set();

createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': open\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? '').replace(/^sha256=/, ''), 'hex');
    const expected = createHmac('sha256', secret).update(body).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    const payload = JSON.parse(body.toString('utf8'));
    const added = insert.run(String(req.headers['x-github-delivery']), payload.after, new Date().toISOString()).changes === 1;
    res.writeHead(added ? 202 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ duplicate: !added }));
    if (!added) return;
    const line = `data: ${JSON.stringify({ kind: 'run.queued', data: { commitSha: payload.after } })}\n\n`;
    for (const s of streams) s.write(line);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
