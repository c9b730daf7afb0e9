import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createCore } from '../../../electron/core';
import { createNodePorts, tempDataDir } from '../../support/node-ports';

const sender = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };
const options = {
  development: false,
  version: '1.2.3',
  platform: 'linux',
  senderPolicy: { allowedOrigins: ['app://quicksend'] },
};

test('creates the data directory owner-only and reports it ready', async () => {
  const dataDir = path.join(tempDataDir(), 'nested', 'Quicksend');
  const core = await createCore(createNodePorts({ dataDir }), options);
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  expect(await core.router.handle('app:info', {}, sender)).toEqual({
    ok: true,
    value: {
      name: 'Quicksend',
      version: '1.2.3',
      platform: 'linux',
      development: false,
      dataDirectory: 'ready',
      keyStore: 'node-aes-256-gcm',
    },
  });
  expect(await core.router.handle('accounts:list', {}, sender)).toEqual({ ok: true, value: [] });
});

test('reports an unwritable data directory', async () => {
  // A file where the folder should be: unwritable even for root, unlike chmod.
  const parent = tempDataDir();
  writeFileSync(path.join(parent, 'blocked'), 'x');
  const dataDir = path.join(parent, 'blocked', 'Quicksend');
  const core = await createCore(createNodePorts({ dataDir }), options);
  expect(await core.router.handle('app:info', {}, sender)).toMatchObject({
    ok: true,
    value: { dataDirectory: 'unwritable' },
  });
});

test('event payloads are checked against the contract in development only', async () => {
  const bad = { revision: 1, paused: false, changes: [{ type: 'added', item: { id: 'x' } }] } as never;
  const production = await createCore(createNodePorts({ dataDir: tempDataDir() }), options);
  const seen: unknown[] = [];
  production.events.on('outbox:changed', (p) => seen.push(p));
  production.events.emit('outbox:changed', bad);
  expect(seen).toEqual([bad]);
  await production.dispose();
  const development = await createCore(createNodePorts({ dataDir: tempDataDir() }), { ...options, development: true });
  expect(() => development.events.emit('outbox:changed', bad)).toThrow();
  await development.dispose();
});
