import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { Context } from 'hono';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves the built dashboard, with index.html for every unknown path (client-side routes). */
export function serveDashboard(webDir: string | undefined) {
  return async (c: Context): Promise<Response> => {
    if (!webDir || !existsSync(join(webDir, 'index.html'))) {
      return c.text('The dashboard is not built. Run `npm run build` in the Slipway checkout.', 503);
    }
    const rel = normalize(decodeURIComponent(new URL(c.req.url).pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = resolve(webDir, `.${rel}`);
    const inside = file.startsWith(resolve(webDir)) && extname(file) !== '';
    const path = inside && existsSync(file) ? file : join(webDir, 'index.html');
    const body = await readFile(path);
    const cache = path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(body, 200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': cache });
  };
}

/** Finds packages/web/dist from a file inside the checkout (source or bundle). */
export function findWebDir(from: string): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'packages', 'web', 'dist');
    if (existsSync(candidate)) return candidate;
    dir = join(dir, '..');
  }
  return undefined;
}
