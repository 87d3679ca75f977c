import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sha1 = /^[0-9a-f]{40}$/;

/**
 * The head of a branch of a repository on this machine (an absolute path or a file:// URL), read from its ref files
 * without starting git: `ls-remote` costs two processes, which is most of what polling hundreds of idle local projects
 * costs. Undefined whenever the layout is anything but the plain one (a worktree's .git file, reftable, a symbolic
 * ref): the caller then asks git. A loose ref wins over packed-refs, as in git.
 */
export async function readLocalBranch(repoUrl: string, branch: string): Promise<string | undefined> {
  const path = repoUrl.startsWith('file://') ? fileURLToPath(repoUrl) : isAbsolute(repoUrl) ? repoUrl : undefined;
  if (!path) return undefined;
  const gitDir = await gitDirOf(path);
  if (!gitDir || (await isDir(join(gitDir, 'reftable')))) return undefined;
  const loose = await readFile(join(gitDir, 'refs', 'heads', ...branch.split('/')), 'utf8').catch(() => undefined);
  if (loose !== undefined) return sha1.test(loose.trim()) ? loose.trim() : undefined;
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => undefined);
  const line = packed?.split('\n').find((l) => l.endsWith(` refs/heads/${branch}`));
  const sha = line?.slice(0, 40);
  return sha && sha1.test(sha) ? sha : undefined;
}

async function gitDirOf(path: string): Promise<string | undefined> {
  if (await isDir(join(path, '.git'))) return join(path, '.git');
  // A bare repository: HEAD, objects and refs at its root.
  if ((await isDir(join(path, 'objects'))) && (await isDir(join(path, 'refs')))) return path;
  return undefined;
}

const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);
