import { formatDuration, spinner, statusSymbol } from './format.js';
import type { JobRecord, RunEvent, Status, StepRecord } from './run-record.js';

type Paint = (s: string) => string;

export interface ProgressOptions {
  write(text: string): void;
  /** Redraw a live view of the jobs; otherwise print one line per transition. */
  live: boolean;
  /** Only progress: no step output. */
  quiet: boolean;
  paint: { red: Paint; green: Paint; yellow: Paint; blue: Paint; grey: Paint; bold: Paint };
  /** Terminal width, to keep live lines from wrapping. */
  columns?: () => number;
  now?: () => number;
}

export interface ProgressRenderer {
  onEvent(e: RunEvent): void;
  /** Erases the live view; call before printing the summary. */
  stop(): void;
}

/**
 * Draws a run as it goes. Every mode prints, per job, `[job] …` lines for step starts and ends and the step output
 * (act's format, so logs stay greppable); `quiet` keeps only job and step transitions. On a terminal (`live`) a compact
 * block under the lines shows each job with its status, duration and current step, redrawn in place.
 */
export function createProgressRenderer(opts: ProgressOptions): ProgressRenderer {
  const now = opts.now ?? Date.now;
  const p = opts.paint;
  const jobs: JobRecord[] = [];
  let drawn = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;

  const mark = (status: Status) => {
    const s = statusSymbol(status);
    if (status === 'success') return p.green(s);
    if (status === 'failure') return p.red(s);
    if (status === 'running' || status === 'queued') return p.blue(s);
    return p.yellow(s);
  };
  const prefix = (job: JobRecord) => p.grey(`[${job.job.key}]`);

  const erase = () => {
    if (drawn > 0) opts.write(`\x1b[${drawn}A\r\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    if (!opts.live || jobs.length === 0) return;
    const width = Math.max(20, (opts.columns?.() || 80) - 1);
    const keyWidth = Math.min(30, Math.max(...jobs.map((j) => j.job.key.length)));
    const lines = jobs.map((j) => liveLine(j, keyWidth, width));
    opts.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const liveLine = (j: JobRecord, keyWidth: number, width: number) => {
    const symbol = j.status === 'running' ? spinner[frame % spinner.length]! : statusSymbol(j.status);
    const duration = j.result ? formatDuration(j.result.durationMs) : j.startedAt !== undefined ? formatDuration(now() - j.startedAt) : '';
    const current = j.status === 'running' ? [...j.steps].reverse().find((s) => s.status === 'running') : undefined;
    const head = `${j.job.key.padEnd(keyWidth)}  ${duration.padStart(7)}`.slice(0, width - 4);
    const room = width - 6 - head.length;
    const name = current && room > 3 ? (current.step.name.length > room ? `${current.step.name.slice(0, room - 1)}…` : current.step.name) : '';
    return `  ${j.status === 'running' ? p.blue(symbol) : mark(j.status)} ${head}${name ? `  ${p.grey(name)}` : ''}`;
  };
  /** Prints lines above the live block. */
  const print = (lines: string[]) => {
    if (lines.length === 0) return;
    erase();
    opts.write(lines.map((l) => `${l}\n`).join(''));
    draw();
  };

  const stepEnd = (job: JobRecord, s: StepRecord) => {
    const r = s.result!;
    const detail = [formatDuration(r.durationMs), ...(r.conclusion === 'failure' && r.exitCode !== null ? [`exit code ${r.exitCode}`] : []), ...(r.outcome === 'failure' && r.conclusion === 'success' ? ['failed, continue-on-error'] : [])];
    return `${prefix(job)} ${mark(r.conclusion)} ${s.step.name} ${p.grey(`(${detail.join(', ')})`)}`;
  };
  const jobEnd = (job: JobRecord) => {
    const r = job.result!;
    const word = { success: 'succeeded', failure: 'failed', cancelled: 'was cancelled', skipped: 'was skipped' }[r.conclusion];
    const why = r.conclusion === 'failure' || r.conclusion === 'cancelled' ? (r.error ? `: ${r.error}` : '') : '';
    return `${prefix(job)} ${mark(r.conclusion)} ${p.bold(`job ${word}`)}${r.conclusion === 'skipped' ? '' : ` in ${formatDuration(r.durationMs)}`}${why}`;
  };

  return {
    onEvent(e) {
      if (!jobs.includes(e.job)) jobs.push(e.job);
      if (opts.live && !timer) {
        timer = setInterval(() => {
          frame++;
          erase();
          draw();
        }, 120);
        timer.unref();
      }
      switch (e.kind) {
        case 'job':
          if (e.job.status === 'running' && !opts.live) print([`${prefix(e.job)} ${mark('running')} job started`]);
          else if (e.job.result) print([jobEnd(e.job)]);
          else {
            erase();
            draw();
          }
          break;
        case 'step':
          if (e.step.status === 'running') print(opts.live && opts.quiet ? [] : [`${prefix(e.job)} ${p.blue('▶')} ${e.step.step.name}`]);
          else if (!(opts.live && opts.quiet)) print([stepEnd(e.job, e.step)]);
          if (opts.live && opts.quiet) {
            erase();
            draw();
          }
          break;
        case 'log':
          // Lines outside steps say why a job failed or was skipped: always shown.
          if (!opts.quiet || (e.step === null && !opts.live)) print([`${prefix(e.job)}   ${e.stream === 'system' ? p.yellow(e.text) : e.text}`]);
          break;
        case 'annotation': {
          const a = e.annotation;
          const where = a.file ? ` (${a.file}${a.line ? `:${a.line}` : ''}${a.col ? `:${a.col}` : ''})` : '';
          const level = a.level === 'error' ? p.red(a.level) : a.level === 'warning' ? p.yellow(a.level) : p.blue(a.level);
          print([`${prefix(e.job)} ${level}: ${a.title ? `${a.title}: ` : ''}${a.message}${where}`]);
          break;
        }
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      erase();
    },
  };
}
