/**
 * True while a process with this pid exists (a zombie counts until its parent reaps it). EPERM means it exists but
 * belongs to another user. Lock files, job containers and pods name their owner by pid; this is how an owner is
 * found gone.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
