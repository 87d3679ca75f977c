/** What the status channel of an exec said: the command's exit code, or why it did not run or finish. */
export type ExecOutcome = { exitCode: number } | { error: string };

/**
 * Reads the exec's status channel (channel 3 of `v4.channel.k8s.io`/`v5.channel.k8s.io`): a metav1.Status that is
 * `Success` for exit code 0, `Failure` with reason `NonZeroExitCode` and a cause `ExitCode` for another code, and any
 * other Failure when the command could not be run at all (no such container, the runtime refused). Pure.
 */
export function parseExecStatus(text: string | undefined): ExecOutcome {
  if (text === undefined || text.trim() === '') return { error: 'the exec connection closed before the command reported an exit status' };
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { error: text.trim() };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
    if (code !== undefined && /^\d+$/.test(code)) return { exitCode: Number(code) };
  }
  return { error: status.message ?? `exec failed (${status.reason ?? 'no reason given'})` };
}
