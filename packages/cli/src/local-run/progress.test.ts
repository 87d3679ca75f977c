import { describe, expect, it } from 'vitest';
import { createProgressRenderer } from './progress.js';
import { createRunRecorder } from './run-record.js';
import { job, playRun, step } from './testdata/play-run.js';

const plain = (s: string) => s;
const paint = { red: plain, green: plain, yellow: plain, blue: plain, grey: plain, bold: plain };

function render(options: { live: boolean; quiet: boolean }) {
  let out = '';
  const renderer = createProgressRenderer({ write: (t) => (out += t), paint, now: () => 0, columns: () => 60, ...options });
  const rec = createRunRecorder((e) => renderer.onEvent(e));
  return { rec, renderer, out: () => out };
}

describe('createProgressRenderer', () => {
  it('prints one [job] line per transition and the step output when not on a terminal', () => {
    const r = render({ live: false, quiet: false });
    playRun(r.rec.reporter);
    r.renderer.stop();
    const lines = r.out().split('\n');
    expect(lines.slice(0, 6)).toEqual(['[build] ● job started', '[build] ▶ Compile', '[build]   compiled', '[build] ✓ Compile (1.2s)', '[build] ✓ job succeeded in 1.5s', '[test] ● job started']);
    expect(lines).toContain('[test] ✓ Lint (1.2s, failed, continue-on-error)');
    expect(lines).toContain('[test] ✗ Unit (1.2s, exit code 2)');
    expect(lines).toContain('[test] ✗ job failed in 3.0s: a step failed');
    expect(lines).toContain('[deploy]   skipped: a job it needs did not succeed');
    expect(lines).toContain('[deploy] - job was skipped');
    expect(r.out()).not.toMatch(/\x1b\[/);
  });

  it('leaves out step output with quiet, but keeps why a job was skipped', () => {
    const r = render({ live: false, quiet: true });
    playRun(r.rec.reporter);
    expect(r.out()).not.toMatch(/line 25|compiled/);
    expect(r.out()).toMatch(/\[deploy\] {3}skipped: a job it needs did not succeed/);
  });

  it('on a terminal, redraws a block of jobs with the current step under the printed lines', () => {
    const r = render({ live: true, quiet: true });
    const j = job('build');
    r.rec.reporter.jobStarted(j);
    r.rec.reporter.stepStarted(j, step(0, 'Compile everything'));
    const last = r.out().split('\x1b[1A\r\x1b[J').at(-1)!;
    expect(last).toMatch(/^ {2}\S build {2}\s+0ms {2}Compile everything\n$/);
    r.renderer.stop();
    expect(r.out().endsWith('\x1b[1A\r\x1b[J')).toBe(true);
  });
});
