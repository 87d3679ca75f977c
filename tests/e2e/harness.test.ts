import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '@slipway/core';
import { tempDir } from './harness.js';

describe.skipIf(process.platform !== 'linux')('tempDir', () => {
  it('kills what still runs from the directory before removing it (as local-target instances do after a server stops)', async () => {
    const dir = tempDir('harness');
    const child = spawn('sleep', ['60'], { cwd: dir.path, detached: true, stdio: 'ignore' });
    child.unref();
    await new Promise((resolve) => child.once('spawn', resolve));
    expect(isProcessAlive(child.pid!)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    dir.remove();
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(dir.path)).toBe(false);
  });
});
