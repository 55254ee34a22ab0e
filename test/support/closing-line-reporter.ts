/**
 * Prints one plain closing line after a vitest run, `Tests: N passed, N failed, N skipped`, which CI
 * log readers understand whatever the test runner.
 */
import type { Reporter, TestModule } from 'vitest/node'

export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
      // A file that failed to load, or a suite whose hooks failed, counts as a failure even when none
      // of its tests ran.
      if (
        module.state() === 'failed' &&
        [...module.children.allTests()].every((t) => t.result().state !== 'failed')
      )
        failed++
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}
