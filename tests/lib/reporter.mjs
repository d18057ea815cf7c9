// reporter.mjs — node:test reporter: "ok NAME" / "FAIL NAME" (with the error) per test, and the
// closing line "N passed, N failed" that tests/run.sh sums. Suites (describe) are not counted.
export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.details && d.details.type === 'suite') {
      if (event.type === 'test:fail' && d.details.error && d.details.error.failureType !== 'subtestsFailed') {
        failed++;
        yield `FAIL ${d.name}: ${d.details.error.cause?.message ?? d.details.error.message}\n`;
      }
      continue;
    }
    if (event.type === 'test:pass') {
      if (d.skip || d.todo) {
        failed++;
        yield `FAIL ${d.name} (skipped tests count as failures)\n`;
        continue;
      }
      passed++;
      yield `ok ${d.name}\n`;
    } else {
      failed++;
      const err = d.details?.error;
      const msg = err?.cause?.stack ?? err?.cause?.message ?? err?.message ?? String(err);
      yield `FAIL ${d.name}\n${String(msg).split('\n').slice(0, 12).map((l) => '    ' + l).join('\n')}\n`;
    }
  }
  yield `${passed} passed, ${failed} failed\n`;
}
