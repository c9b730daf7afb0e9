/**
 * The quit prompt's Electron glue against the recording fake: before-quit is held while
 * messages would still go out, the question is asked once, and only "Quit anyway" quits.
 */
import { beforeEach, expect, test, vi } from 'vitest';
import type { OutboxItem } from '../../../../electron/ipc/contract';
import { createFakeElectron, fakeEvent, type FakeElectron } from '../../../fakes/electron';

const fake: FakeElectron = createFakeElectron({ userData: '/tmp/unused' });
vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

const waiting = [{ state: 'waiting' }, { state: 'sending' }] as OutboxItem[];

beforeEach(() => {
  // One fake per file (the mock is hoisted); each test starts from a clean slate.
  vi.resetModules();
  fake.module.app.removeAllListeners();
  fake.module.powerMonitor.removeAllListeners();
  fake.calls.length = 0;
  fake.dialogAnswers.length = 0;
});

async function install(outbox: OutboxItem[]) {
  const { installQuitGuard } = await import('../../../../electron/platform/quit-guard');
  const onQuitting = vi.fn();
  installQuitGuard({ outbox: () => outbox, parent: () => null, onQuitting });
  return onQuitting;
}

test('nothing waiting: quits at once', async () => {
  const onQuitting = await install([{ state: 'failed' } as OutboxItem]);
  const event = fakeEvent();
  fake.module.app.emit('before-quit', event);
  expect(event.defaultPrevented).toBe(false);
  expect(onQuitting).toHaveBeenCalled();
});

test('messages waiting: holds the quit and asks; "Keep running" keeps it running', async () => {
  const onQuitting = await install(waiting);
  fake.dialogAnswers.push(0);
  const event = fakeEvent();
  fake.module.app.emit('before-quit', event);
  // A second quit request while the question is open does not ask twice.
  fake.module.app.emit('before-quit', fakeEvent());
  expect(event.defaultPrevented).toBe(true);
  await vi.waitFor(() => expect(fake.named('dialog.showMessageBox')).toHaveLength(1), { timeout: 10_000 });
  const [box] = fake.named('dialog.showMessageBox');
  expect(fake.named('dialog.showMessageBox')).toHaveLength(1);
  expect(box!.args[0]).toMatchObject({
    message: '2 messages are still waiting to be sent.',
    buttons: ['Keep Quicksend running', 'Quit anyway'],
    defaultId: 0,
    cancelId: 0,
  });
  expect(fake.named('app.quit')).toEqual([]);
  expect(onQuitting).not.toHaveBeenCalled();
});

test('"Quit anyway" quits, and the next before-quit goes through', async () => {
  const onQuitting = await install(waiting);
  fake.dialogAnswers.push(1);
  fake.module.app.emit('before-quit', fakeEvent());
  await vi.waitFor(() => expect(fake.named('app.quit')).toHaveLength(1), { timeout: 10_000 });
  const again = fakeEvent();
  fake.module.app.emit('before-quit', again);
  expect(again.defaultPrevented).toBe(false);
  expect(onQuitting).toHaveBeenCalled();
});

test('a system shutdown never waits for the question', async () => {
  await install(waiting);
  fake.module.powerMonitor.emit('shutdown', fakeEvent());
  const event = fakeEvent();
  fake.module.app.emit('before-quit', event);
  expect(event.defaultPrevented).toBe(false);
  expect(fake.named('dialog.showMessageBox')).toEqual([]);
});
