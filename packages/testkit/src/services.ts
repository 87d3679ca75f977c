import { execFileSync } from 'node:child_process';

/** True when SLIPWAY_REQUIRE_SERVICES=1: a test that would be skipped for a missing service fails instead. */
export const servicesRequired = process.env.SLIPWAY_REQUIRE_SERVICES === '1';

const skipped: { service: string; reason: string }[] = [];

/**
 * Decides whether a test that needs a real service can run. Returns a reason to skip, or undefined to run.
 * When services are required, a missing service throws so that the suite fails loudly.
 */
export function serviceUnavailable(service: string, probe: () => string | undefined): string | undefined {
  const reason = probe();
  if (reason === undefined) return undefined;
  if (servicesRequired) throw new Error(`SLIPWAY_REQUIRE_SERVICES=1 but ${service} is not available: ${reason}`);
  skipped.push({ service, reason });
  console.warn(`\n[slipway] SKIPPING tests that need ${service}: ${reason}\n`);
  return reason;
}

export function hasBinary(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The registry the tests push to: SLIPWAY_TEST_REGISTRY (`.ci/run` starts one on 127.0.0.1:5001). */
export const testRegistry = process.env.SLIPWAY_TEST_REGISTRY ?? '127.0.0.1:5001';

/** For tests: why to skip when no registry answers at SLIPWAY_TEST_REGISTRY (it throws under SLIPWAY_REQUIRE_SERVICES=1). */
export function registryUnavailable(): string | undefined {
  return serviceUnavailable('registry', () => {
    try {
      execFileSync(process.execPath, ['-e', `fetch("http://${testRegistry}/v2/").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`], { timeout: 10_000 });
      return undefined;
    } catch {
      return `no registry answers at http://${testRegistry}/v2/ (see .ci/run start_registry)`;
    }
  });
}
