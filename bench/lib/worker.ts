/**
 * The benchmark-process side of the runner protocol: progress goes to stderr, the one result
 * goes to stdout as `@@RESULT <json>`. A benchmark that cannot measure throws: the process
 * exits non-zero and the runner reports which benchmark failed and why.
 */
export const RESULT_PREFIX = '@@RESULT ';

export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

export async function runWorker(name: string, body: () => Promise<unknown>): Promise<void> {
  try {
    const result = await body();
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(
      `${name}: could not measure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
}
