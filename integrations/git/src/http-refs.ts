import http from 'node:http';
import https from 'node:https';

/** Kept-alive connections: a poll every few seconds to one host reuses them (node:http costs a third of fetch here). */
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 8 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 8 }) };

/** The body of a 200 answer of the upload-pack service, or undefined for anything else. */
function post(target: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<string | undefined> {
  const url = new URL(target);
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: agents[url.protocol as 'http:' | 'https:'], headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200 || !(res.headers['content-type'] ?? '').includes('x-git-upload-pack-result')) {
        res.resume();
        return resolve(undefined);
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(body);
  });
}

/**
 * The head of a branch on an http(s) remote, asked in-process with git's protocol v2 `ls-refs` command (one POST to
 * `<url>/git-upload-pack`, filtered by ref prefix, over a kept-alive connection): `git ls-remote` costs two processes,
 * which is most of what polling many idle remote projects costs. Undefined whenever the answer is not a plain one (an
 * error status, a server without protocol v2, a redirect): the caller then asks git, which gives the usual errors.
 */
export async function httpBranchHead(repoUrl: string, branch: string, auth?: { username: string; password: string }, timeoutMs = 10_000): Promise<string | undefined> {
  if (!/^https?:\/\//.test(repoUrl)) return undefined;
  const url = new URL(repoUrl);
  // fetch refuses URLs with credentials: they become a basic auth header, as git would send them.
  const user = auth?.username ?? decodeURIComponent(url.username);
  const password = auth?.password ?? decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const headers: Record<string, string> = {
    'content-type': 'application/x-git-upload-pack-request',
    accept: 'application/x-git-upload-pack-result',
    'git-protocol': 'version=2',
    'user-agent': 'git/slipway',
  };
  if (user || password) headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const body = `${pkt('command=ls-refs\n')}0001${pkt(`ref-prefix refs/heads/${branch}\n`)}0000`;
  const text = await post(`${url.href.replace(/\/+$/, '')}/git-upload-pack`, headers, body, timeoutMs);
  if (text === undefined) return undefined;
  for (const line of parsePktLines(text)) {
    const [sha, name] = line.trim().split(' ');
    if (name === `refs/heads/${branch}` && /^[0-9a-f]{40}$/.test(sha ?? '')) return sha;
  }
  return undefined;
}

const pkt = (s: string) => `${(Buffer.byteLength(s) + 4).toString(16).padStart(4, '0')}${s}`;

/** The data lines of a pkt-line stream; flush, delimiter and response-end packets are skipped. */
export function parsePktLines(text: string): string[] {
  const out: string[] = [];
  const buf = Buffer.from(text);
  let at = 0;
  while (at + 4 <= buf.length) {
    const len = Number.parseInt(buf.subarray(at, at + 4).toString(), 16);
    if (Number.isNaN(len)) break;
    if (len < 4) {
      at += 4;
      continue;
    }
    out.push(buf.subarray(at + 4, at + len).toString());
    at += len;
  }
  return out;
}
