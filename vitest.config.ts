import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'drivers/*/src/**/*.test.ts', 'executors/*/src/**/*.test.ts', 'integrations/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'packages/web/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end files start servers and processes; keep the parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './packages/testkit/src/skip-reporter.ts'],
    // Fails the run when anything is pulled from a registry (issue 6: nothing is pulled during the whole suite).
    // The shared Kubernetes dev cluster: started by the first testKubeconfig() call, stopped here after the run.
    globalSetup: ['./packages/testkit/src/no-pulls.ts', './packages/testkit/src/dev-cluster-setup.ts'],
  },
});
