import type { Reporter, TestModule } from 'vitest/node';

/** Prints `N passed, N failed[, N skipped]` as the very last line, for CI to read. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    // Printed after vitest's own summary so it is the last line of the run.
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
