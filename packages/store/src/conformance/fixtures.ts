import { afterAll, beforeAll } from 'vitest';
import type { Clock, NewRunInput, Project, Store } from '@slipway/core';

export interface StoreHandle {
  store: Store;
  cleanup: () => Promise<void>;
}

/** Opens a fresh, empty, migrated store that uses `clock`; cleanup closes it and removes its data. */
export type NewStore = (options: { clock: Clock }) => Promise<StoreHandle>;

export interface TestClock extends Clock {
  advance(ms: number): void;
}

export function createTestClock(start = Date.now()): TestClock {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface StoreFixture {
  readonly store: Store;
  readonly clock: TestClock;
}

/** One store for the enclosing describe block; tests in it keep apart by using their own projects or queue kinds. */
export function useStore(newStore: NewStore): StoreFixture {
  const clock = createTestClock();
  let handle: StoreHandle | undefined;
  beforeAll(async () => {
    handle = await newStore({ clock });
  });
  afterAll(async () => {
    await handle?.cleanup();
  });
  return {
    get store() {
      if (!handle) throw new Error('store not open yet');
      return handle.store;
    },
    clock,
  };
}

let projectCounter = 0;

export function seedProject(store: Store, name = `project-${++projectCounter}`): Promise<Project> {
  return store.createProject({ name, repoUrl: `https://example.com/${name}.git`, branch: 'main', pollIntervalMs: 15_000 });
}

export function runInput(projectId: string, overrides: Partial<NewRunInput> = {}): NewRunInput {
  return {
    projectId,
    workflow: '.slipway/workflows/ci.yaml',
    workflowName: 'CI',
    commitSha: 'a'.repeat(40),
    branch: 'main',
    trigger: 'push',
    jobs: [
      { name: 'build', needs: [], steps: [{ name: 'install' }, { name: 'compile' }] },
      { name: 'test', needs: ['build'], steps: [{ name: 'unit' }] },
    ],
    ...overrides,
  };
}

export function releaseInput(projectId: string, commitSha = 'b'.repeat(40)) {
  return {
    projectId,
    commitSha,
    services: { api: { revision: 'r1', commitSha, artifact: '/artifacts/api/r1', config: { port: 8080, env: { A: '1' } } } },
    changedServices: ['api'],
  };
}
