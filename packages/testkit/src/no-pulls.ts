import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Vitest global setup: watches the Docker daemon's `pull` events for the whole run and fails it if anything was
 * pulled from a registry. Builds use local base images only (`pull: false`), and the Docker target runs images that
 * were built here, so a pull means a test or a code path reached for the network. The events are kept in
 * test-results/docker-pulls.json.
 */
export function setup(): (() => Promise<void>) | undefined {
  if (spawnSync('docker', ['info', '--format', '{{ .ID }}'], { stdio: 'ignore', timeout: 10_000 }).status !== 0) return undefined;
  const watcher = spawn('docker', ['events', '--format', '{{ json . }}', '--filter', 'type=image', '--filter', 'event=pull'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return async () => {
    // Events arrive asynchronously: give the last ones a moment before stopping.
    await new Promise((r) => setTimeout(r, 300));
    watcher.kill();
    const pulls = out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id?: string; Actor?: { ID?: string }; time?: number });
    mkdirSync('test-results', { recursive: true });
    writeFileSync(join('test-results', 'docker-pulls.json'), `${JSON.stringify(pulls, null, 2)}\n`);
    if (pulls.length === 0) return;
    // A throw here is only printed ("error during close"): set the exit code too, so the run fails.
    process.exitCode = 1;
    throw new Error(`the test run pulled ${pulls.length} image(s) from a registry: ${pulls.map((p) => p.Actor?.ID ?? p.id).join(', ')}; nothing may be pulled (build base images locally)`);
  };
}
