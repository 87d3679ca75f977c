#!/usr/bin/env node
// The slipway command. The CLI is bundled into dist/ by `npm run build` (npm start and npm test do it when stale).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('error SLW_INTERNAL the Slipway CLI is not built\n  hint: run `npm run build` in the Slipway checkout\n');
  process.exit(70);
}
await import(bundle.href);
