import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Store } from '@slipway/core';
import { createStore } from '@slipway/store';
import { createSecretBox, type SecretBox } from './secret-box.js';
import { createSecretResolver } from './secret-resolver.js';

const value = 'p4ss-w0rd-value-that-must-stay-hidden';

describe('createSecretResolver', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-secret-resolver-'));
  let store: Store;
  let box: SecretBox;
  let project: Project;

  beforeAll(async () => {
    store = await createStore({ dataDir });
    box = await createSecretBox({ dataDir, env: {} });
    project = await store.createProject({ name: 'app', repoUrl: '/r', branch: 'main', pollIntervalMs: 1000 });
    await store.putSecret({ projectId: null, name: 'DEPLOY_KEY', ciphertext: box.seal('global-deploy-key') });
    await store.putSecret({ projectId: null, name: 'SHARED', ciphertext: box.seal('global-shared') });
    await store.putSecret({ projectId: project.id, name: 'SHARED', ciphertext: box.seal('project-shared') });
    await store.putSecret({ projectId: project.id, name: 'NPM_TOKEN', ciphertext: box.seal(value) });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resolves the names as asked, the project value winning over the global one', async () => {
    const resolver = createSecretResolver(store, box);
    expect(await resolver.resolve(project.id, ['npm_token', 'SHARED', 'deploy_key', 'NOT_SET', 'GITHUB_TOKEN', 'bad-name'])).toEqual({
      npm_token: value,
      SHARED: 'project-shared',
      deploy_key: 'global-deploy-key',
    });
    expect(await resolver.resolve(null, ['SHARED', 'NPM_TOKEN'])).toEqual({ SHARED: 'global-shared' });
    expect(await resolver.resolve(project.id, [])).toEqual({});
  });

  it('keeps __proto__ a plain key', async () => {
    await store.putSecret({ projectId: project.id, name: '__proto__', ciphertext: box.seal('odd') });
    const values = await createSecretResolver(store, box).resolve(project.id, ['__proto__']);
    expect(Object.keys(values)).toEqual(['__proto__']);
    expect(values['__proto__']).toBe('odd');
  });

  it('stores only ciphertext: the database file holds neither the value nor its base64', async () => {
    // A checkpoint moves the WAL into the main file; read both anyway.
    const bytes = ['slipway.db', 'slipway.db-wal'].map((f) => {
      try {
        return readFileSync(join(dataDir, f)).toString('latin1');
      } catch {
        return '';
      }
    });
    const disk = bytes.join('');
    expect(disk).toContain('NPM_TOKEN');
    expect(disk).not.toContain(value);
    expect(disk).not.toContain(Buffer.from(value).toString('base64'));
    const [sealed] = await store.getSecrets(project.id, ['NPM_TOKEN']);
    expect(sealed!.ciphertext).toMatch(/^v1:/);
    expect(sealed!.ciphertext).not.toContain(value);
  });

  it('names the secret, but never its value, when it cannot be opened', async () => {
    const sealed = box.seal(value);
    await store.putSecret({ projectId: project.id, name: 'BROKEN', ciphertext: sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA') });
    const err = await createSecretResolver(store, box).resolve(project.id, ['BROKEN']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SLW_SECRET_UNREADABLE', message: expect.stringContaining(`secret BROKEN (project ${project.id})`) });
    expect((err as Error).message).not.toContain(value);
  });
});
