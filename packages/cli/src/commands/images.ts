import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '@slipway/core';
import { findInCheckout } from '../checkout-files.js';

/** `slipway images base`: builds slipway/node:20 from this host's node (no pull), as scripts/build-base-image.sh does. */
export function imagesCommand(program: Command): void {
  const images = program.command('images').description('Local images Slipway needs');
  images
    .command('base')
    .description("Build the base image slipway/node:20 (also slipway/runner:latest) from this host's node binary, without pulling anything; a no-op when it is current")
    .action(async () => {
      const scripts = findInCheckout(fileURLToPath(new URL('.', import.meta.url)), 'scripts', 'build-base-image.sh');
      if (!scripts) throw new SlipwayError('SLW_CONFIG_NOT_FOUND', 'scripts/build-base-image.sh was not found next to this Slipway', { hint: 'Run it from a Slipway checkout.' });
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('bash', [join(scripts, 'build-base-image.sh')], { stdio: 'inherit' });
        child.on('error', reject);
        child.on('close', resolve);
      });
      if (code !== 0) throw new SlipwayError('SLW_IMAGE_BUILD_FAILED', `building the base image failed (exit ${code})`, { hint: 'The message above says what is missing: a running Docker daemon, or busybox-static.' });
    });
}
