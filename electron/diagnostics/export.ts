/**
 * The diagnostics export: the recent log (already redacted by the logger) and app facts in one
 * owner-only JSON file in the data directory, for a person to attach to a bug report. It is
 * run through the redactor once more on the way out, in case a sink ever held something raw.
 */
import path from 'node:path';
import type { AppInfo } from '../ipc/contract';
import { writeFileAtomic } from '../shared/atomic-file';
import type { Redactor } from '../shared/logger';
import type { LogRecord } from '../shared/ports';

export type DiagnosticsOptions = {
  dataDir: string;
  /** The live array of a memory sink (`createMemorySink().records`). */
  records: readonly LogRecord[];
  appInfo: () => AppInfo;
  now: () => number;
  redactor: Redactor;
};

export type Diagnostics = {
  /** Writes the bundle and says where, and how many log records it holds. */
  exportBundle(): Promise<{ path: string; records: number }>;
};

export function createDiagnostics(options: DiagnosticsOptions): Diagnostics {
  return {
    exportBundle: async () => {
      const time = new Date(options.now()).toISOString();
      const records = [...options.records];
      const bundle = options.redactor.redact({ exportedAt: time, app: options.appInfo(), records }) as object;
      // Colons are not allowed in Windows file names.
      const file = path.join(options.dataDir, `quicksend-diagnostics-${time.replace(/[:.]/g, '-')}.json`);
      const json = JSON.stringify(
        bundle,
        (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
        2,
      );
      await writeFileAtomic(file, `${json}\n`, 0o600);
      return { path: file, records: records.length };
    },
  };
}
