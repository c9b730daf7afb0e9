import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createDiagnostics } from '../../../../electron/diagnostics/export';
import { createLogger, createMemorySink, createRedactor } from '../../../../electron/shared/logger';
import { tempDataDir } from '../../../support/node-ports';

const appInfo = {
  name: 'Quicksend' as const,
  version: '1.0.0',
  platform: 'linux',
  development: false,
  dataDirectory: 'ready' as const,
  keyStore: 'gnome_libsecret',
};

test('writes the recent, redacted log and app facts to an owner-only JSON file in the data directory', async () => {
  const dataDir = tempDataDir();
  const redactor = createRedactor();
  const sink = createMemorySink();
  const logger = createLogger({ sink, redactor, scope: 'core' });
  redactor.register('ya29.very-secret-access-token');
  logger.info('refreshed token ya29.very-secret-access-token');
  logger.warn('smtp failed', { code: 'EAUTH', refresh_token: '1//0abcdefghij' });

  const exportDiagnostics = createDiagnostics({
    dataDir,
    records: sink.records,
    appInfo: () => appInfo,
    now: () => Date.parse('2030-05-06T07:08:09.010Z'),
    redactor,
  });
  const result = await exportDiagnostics.exportBundle();

  expect(result.records).toBe(2);
  expect(path.dirname(result.path)).toBe(dataDir);
  expect(path.basename(result.path)).toBe('quicksend-diagnostics-2030-05-06T07-08-09-010Z.json');
  expect(statSync(result.path).mode & 0o777).toBe(0o600);
  const text = readFileSync(result.path, 'utf8');
  expect(text).not.toContain('very-secret');
  expect(text).not.toContain('1//0abcdefghij');
  const bundle = JSON.parse(text) as { app: unknown; exportedAt: string; records: Array<{ message: string }> };
  expect(bundle.app).toEqual(appInfo);
  expect(bundle.exportedAt).toBe('2030-05-06T07:08:09.010Z');
  expect(bundle.records.map((r) => r.message)).toEqual(['refreshed token [REDACTED]', 'smtp failed']);
});

test('a later record that still holds a registered secret is masked on the way out', async () => {
  const dataDir = tempDataDir();
  const redactor = createRedactor();
  const records = [
    { time: '2030-01-01T00:00:00.000Z', level: 'info' as const, scope: 'x', message: 'raw secretvalue123' },
  ];
  redactor.register('secretvalue123');
  const { path: file } = await createDiagnostics({
    dataDir,
    records,
    appInfo: () => appInfo,
    now: () => 0,
    redactor,
  }).exportBundle();
  expect(readFileSync(file, 'utf8')).not.toContain('secretvalue123');
});
