import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { SlipwayError } from '@slipway/core';
import type { KubeObject } from './objects.js';

const run = promisify(execFile);

/**
 * A service's own manifests: one YAML file, a directory of them (sorted by name, not recursive), or a kustomize
 * directory (kustomization.yaml, built with `kubectl kustomize`; SLIPWAY_KUBECTL names the binary). `List` objects
 * are unwrapped; empty documents are skipped.
 */
export async function loadManifests(path: string): Promise<KubeObject[]> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new SlipwayError('SLW_CONFIG_INVALID', `kubernetes.manifests: ${path} does not exist in the artifact`, { hint: 'The path is relative to the service directory.' });
  if (info.isFile()) return parse(await readFile(path, 'utf8'), path);
  const names = (await readdir(path)).sort();
  const kustomization = names.find((n) => ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(n));
  if (kustomization) {
    const kubectl = process.env.SLIPWAY_KUBECTL ?? 'kubectl';
    const { stdout } = await run(kubectl, ['kustomize', path], { maxBuffer: 64 * 1024 * 1024 }).catch((err: Error & { stderr?: string }) => {
      throw new SlipwayError('SLW_CONFIG_INVALID', `kustomize build of ${path} failed: ${err.stderr?.trim() || err.message}`, { hint: 'Run `kubectl kustomize` on the directory to see the error; SLIPWAY_KUBECTL names the kubectl binary.' });
    });
    return parse(stdout, join(path, kustomization));
  }
  const objects: KubeObject[] = [];
  for (const name of names.filter((n) => /\.(ya?ml|json)$/.test(n))) objects.push(...parse(await readFile(join(path, name), 'utf8'), join(path, name)));
  return objects;
}

export function parse(text: string, file: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const at = e.linePos?.[0];
      throw new SlipwayError('SLW_CONFIG_YAML', `${file}${at ? `:${at.line}:${at.col}` : ''}: ${e.message.split('\n')[0]}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const items = (value as { kind?: string }).kind?.endsWith('List') && Array.isArray((value as { items?: unknown }).items) ? (value as { items: unknown[] }).items : [value];
    for (const item of items) {
      const o = item as KubeObject;
      if (!o || typeof o !== 'object' || !o.apiVersion || !o.kind || !o.metadata?.name) {
        throw new SlipwayError('SLW_CONFIG_INVALID', `${file}: every manifest needs apiVersion, kind and metadata.name`, { hint: 'Generated names (generateName) are not supported: give the object a name.' });
      }
      out.push(o);
    }
  }
  return out;
}
