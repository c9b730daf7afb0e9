/**
 * Loads the BUILT dist/main/main.js as on macOS (the only platform where Electron's Tray emits
 * `drop-files`) against the recording fake `electron`: files dropped on the tray icon open
 * quick send with file ids for them, never their paths. Not Electron: it proves our wiring.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { FileInfo } from '../../electron/ipc/contract';
import { createFakeElectron, fakeEvent, type FakeElectron } from '../fakes/electron';

const mainJs = path.resolve('dist/main/main.js');
const fake: FakeElectron = createFakeElectron({ userData: mkdtempSync(path.join(os.tmpdir(), 'qs-main-mac-')) });
vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

const QUICK_URL = 'app://quicksend/index.html?window=quick-send';
const realPlatform = process.platform;
const argv = process.argv;

beforeAll(async () => {
  if (!existsSync(mainJs)) throw new Error('dist/main/main.js is missing: run `npm run build` first.');
  // Each test file runs in its own process, so this changes no other test.
  Object.defineProperty(process, 'platform', { value: 'darwin' });
  process.argv = ['/Applications/Quicksend.app/Contents/MacOS/Quicksend'];
  await import(/* @vite-ignore */ mainJs);
  fake.emitReady();
  await fake.waitFor('Tray.setToolTip');
});
afterAll(() => {
  Object.defineProperty(process, 'platform', { value: realPlatform });
  process.argv = argv;
});

test('files dropped on the tray icon open quick send with a file id for each, and the id works', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qs-tray-'));
  writeFileSync(path.join(dir, 'photo.jpg'), Buffer.alloc(2048, 1));
  fake.trays[0]!.emit('drop-files', fakeEvent(), [path.join(dir, 'photo.jpg'), path.join(dir, 'gone.txt')]);
  await vi.waitFor(() => expect(fake.windows.find((w) => w.url === QUICK_URL)).toBeTruthy(), { timeout: 10_000 });
  const quick = fake.windows.find((w) => w.url === QUICK_URL)!;
  const fromQuick = { sender: quick.webContents, senderFrame: { url: QUICK_URL, parent: null } };
  // The page's first request: it listens now, so the queued compose:open goes out.
  await fake.ipcHandlers.get('app:info')!(fromQuick, {});
  await vi.waitFor(() => expect(quick.webContents.sent.at(-1)?.[0]).toBe('compose:open'), { timeout: 10_000 });
  const payload = quick.webContents.sent.at(-1)![1] as { attachments: FileInfo[] };
  expect(payload.attachments).toEqual([
    { fileId: expect.stringMatching(/^[\w-]{22}$/), name: 'photo.jpg', sizeBytes: 2048, problem: null },
    { fileId: expect.stringMatching(/^[\w-]{22}$/), name: 'gone.txt', sizeBytes: 0, problem: expect.any(String) },
  ]);
  expect(JSON.stringify(payload)).not.toContain(dir);
  const describe = fake.ipcHandlers.get('files:describe')!;
  expect(await describe(fromQuick, { fileIds: [payload.attachments[0]!.fileId] })).toEqual({
    ok: true,
    value: [payload.attachments[0]],
  });
});
