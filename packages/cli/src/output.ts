import { toExitCode, toSlipwayError } from '@slipway/core';

const tty = process.stdout.isTTY === true;
const paint = (code: number) => (s: string) => (tty && !process.env.NO_COLOR ? `\x1b[${code}m${s}\x1b[0m` : s);
export const color = { red: paint(31), green: paint(32), yellow: paint(33), blue: paint(34), grey: paint(90), bold: paint(1) };

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as aligned columns. */
export function printTable(headers: string[], rows: string[][]): void {
  const strip = (s: string) => s.replace(/\x1b\[\d+m/g, '');
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => strip(r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - strip(c).length))).join('  ').trimEnd();
  process.stdout.write(`${color.grey(line(headers))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  if (rows.length === 0) process.stdout.write(`${color.grey('(none)')}\n`);
}

export function healthColor(health: string): string {
  if (health === 'healthy' || health === 'succeeded' || health === 'synced') return color.green(health);
  if (health === 'degraded' || health === 'failed') return color.red(health);
  if (health === 'progressing' || health === 'running' || health === 'queued') return color.blue(health);
  return color.yellow(health);
}

export function age(iso: string | null): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

/** Prints an error the way users should see it: `SLW_CODE message`, then the hint. Never a stack trace. */
export function printError(err: unknown): number {
  const e = toSlipwayError(err);
  process.stderr.write(`${color.red('error')} ${e.format()}\n  ${color.grey('hint:')} ${e.hint}\n`);
  if (e.code === 'SLW_INTERNAL' && process.env.SLIPWAY_DEBUG) process.stderr.write(`${String((err as Error)?.stack)}\n`);
  return toExitCode(e);
}

/** A long span in seconds, in its largest sensible unit: 42 s, 65 min, 6 h, 1.5 d; - for none. */
export function seconds(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round((seconds / 3600) * 10) / 10} h`;
  return `${Math.round((seconds / 86_400) * 10) / 10} d`;
}
