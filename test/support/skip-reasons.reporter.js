// A Jest reporter that ends every run by listing the tests it skipped and why, so that a run on PGlite
// says, in its normal output, which tests need a PostgreSQL server (describeOnPostgres puts the reason in
// the title) instead of only counting them as skipped.
import { relative } from 'node:path';

export default class SkipReasonsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const lines = [];
    for (const file of results.testResults) {
      // Each skipped describe once, however many tests it holds.
      const suites = new Set(
        file.testResults
          .filter((test) => test.status === 'pending' || test.status === 'skipped')
          .map((test) => test.ancestorTitles.join(' › ') || test.title),
      );
      for (const suite of suites) lines.push(`  ${relative(this.rootDir, file.testFilePath)}: ${suite}`);
    }
    if (lines.length === 0) return;
    process.stderr.write(`\nSkipped, and why:\n${lines.join('\n')}\n`);
  }
}
