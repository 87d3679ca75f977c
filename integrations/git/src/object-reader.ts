import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CommandError, gitEnv } from './exec.js';

export interface GitObject {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  size: number;
}

/**
 * One long-lived `git cat-file --batch-command` for a mirror: an object or its header costs a line on a pipe, not a
 * process. Requests are answered in order. A pack fetched after the start is found too (git re-scans its packs when an
 * object is missing). The process ends after `idleMs` without requests and is started again on the next one.
 */
export interface ObjectReader {
  /** The object's header, or undefined when `spec` (`<sha>`, `<sha>:<path>`, `<sha>^{commit}`) names nothing. */
  info(spec: string): Promise<GitObject | undefined>;
  /** The object with its content, or undefined when `spec` names nothing. */
  contents(spec: string): Promise<(GitObject & { content: Buffer }) | undefined>;
  close(): void;
}

interface Pending {
  spec: string;
  withContent: boolean;
  resolve: (o: (GitObject & { content?: Buffer }) | undefined) => void;
  reject: (err: Error) => void;
}

export function createObjectReader(gitDir: string, idleMs = 15_000): ObjectReader {
  let child: ChildProcessWithoutNullStreams | undefined;
  let buffer: Buffer = Buffer.alloc(0);
  let stderr = '';
  const pending: Pending[] = [];
  let idle: NodeJS.Timeout | undefined;

  const fail = (err: Error) => {
    for (const p of pending.splice(0)) p.reject(err);
  };

  const start = (): ChildProcessWithoutNullStreams => {
    const c = spawn('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch-command'], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    buffer = Buffer.alloc(0);
    stderr = '';
    c.stdout.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      drain();
    });
    c.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    c.stdin.on('error', () => {});
    c.on('error', (err) => fail(new CommandError('git cat-file --batch-command', null, err.message, false)));
    c.on('close', (code) => {
      if (child === c) child = undefined;
      fail(new CommandError('git cat-file --batch-command', code, stderr.trim() || 'the object reader stopped', false));
    });
    return c;
  };

  /** Answers the oldest request once its whole reply is in the buffer. */
  const drain = () => {
    while (pending.length > 0) {
      const nl = buffer.indexOf(10);
      if (nl < 0) return;
      const header = buffer.subarray(0, nl).toString('utf8');
      const p = pending[0]!;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        buffer = buffer.subarray(nl + 1);
        pending.shift();
        p.resolve(undefined);
        continue;
      }
      const [oid = '', type = '', size = ''] = header.split(' ');
      const object = { oid, type: type as GitObject['type'], size: Number(size) };
      if (!p.withContent) {
        buffer = buffer.subarray(nl + 1);
        pending.shift();
        p.resolve(object);
        continue;
      }
      // The content and a newline follow the header.
      if (buffer.length < nl + 1 + object.size + 1) return;
      const content = Buffer.from(buffer.subarray(nl + 1, nl + 1 + object.size));
      buffer = buffer.subarray(nl + 1 + object.size + 1);
      pending.shift();
      p.resolve({ ...object, content });
    }
    setIdle();
  };

  const setIdle = () => {
    clearTimeout(idle);
    if (!child) return;
    // Idle, the process must not keep a command-line run alive; busy, it must.
    const busy = pending.length > 0;
    // The pipes are sockets, which can be (un)referenced like the process.
    for (const h of [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[]) {
      if (busy) h.ref();
      else h.unref();
    }
    if (!busy) {
      idle = setTimeout(() => reader.close(), idleMs);
      idle.unref();
    }
  };

  const request = (spec: string, withContent: boolean) =>
    new Promise<(GitObject & { content?: Buffer }) | undefined>((resolve, reject) => {
      // The protocol is line-based: a name with a newline cannot be asked for (git paths may hold one; ours never do).
      if (spec.includes('\n')) return reject(new CommandError('git cat-file --batch-command', null, 'an object name with a newline', false));
      child ??= start();
      pending.push({ spec, withContent, resolve, reject });
      setIdle();
      child.stdin.write(`${withContent ? 'contents' : 'info'} ${spec}\n`);
    });

  const reader: ObjectReader = {
    info: (spec) => request(spec, false),
    contents: (spec) => request(spec, true) as Promise<(GitObject & { content: Buffer }) | undefined>,
    close() {
      clearTimeout(idle);
      const c = child;
      child = undefined;
      c?.stdin.end();
    },
  };
  return reader;
}
