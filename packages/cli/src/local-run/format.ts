import type { Status } from './run-record.js';

/** `850ms`, `4.2s`, `1m05s`, `1h02m`. Pure. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const symbols: Record<Status, string> = { queued: '○', running: '●', success: '✓', failure: '✗', cancelled: '⊘', skipped: '-' };

/** The one-character mark of a job or step status. Pure. */
export function statusSymbol(status: Status): string {
  return symbols[status];
}

/** Spinner frames for running jobs on a terminal. */
export const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
