import type { Reporter, TestModule } from 'vitest/node';

/** Prints, loudly, every test that was skipped, so that a missing service is never silent. */
export default class SkipReporter implements Reporter {
  private readonly skipped: string[] = [];

  onTestModuleEnd(module: TestModule): void {
    for (const test of module.children.allTests()) {
      if (test.result().state === 'skipped') this.skipped.push(`${module.moduleId.replace(process.cwd() + '/', '')} > ${test.fullName}`);
    }
  }

  onTestRunEnd(): void {
    if (this.skipped.length === 0) return;
    const lines = this.skipped.map((s) => `  - ${s}`).join('\n');
    process.stdout.write(`\n\x1b[33m[slipway] ${this.skipped.length} test(s) SKIPPED (a real service is missing; see the warnings above; set SLIPWAY_REQUIRE_SERVICES=1 to fail instead):\n${lines}\x1b[0m\n`);
  }
}
