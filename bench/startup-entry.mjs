// One fresh process of item 6 (plain JavaScript: nothing to compile before the clock starts).
// Loads the bundled core, builds it with no network, prints one @@RESULT line.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bundle = process.argv[2];
const t0 = performance.now();
const { createCore, createNodePorts } = await import(bundle);
const t1 = performance.now();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quicksend-bench-startup-'));
const noNetwork = async () => {
  throw new Error('no network in the start-up benchmark');
};
const ports = createNodePorts({
  dataDir,
  fetch: noNetwork,
  network: { isOnline: () => false, onOnline: () => () => {}, onResume: () => () => {} },
});
const core = await createCore(ports, {
  development: false,
  version: '0.0.0-bench',
  platform: process.platform,
  senderPolicy: { allowedOrigins: ['app://quicksend'] },
});
const t2 = performance.now();
const result = {
  loadMs: t1 - t0,
  constructMs: t2 - t1,
  totalMs: t2 - t0,
  sinceProcessStartMs: t2,
  rssMb: process.memoryUsage.rss() / (1024 * 1024),
};
await core.dispose();
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(`@@RESULT ${JSON.stringify(result)}\n`);
