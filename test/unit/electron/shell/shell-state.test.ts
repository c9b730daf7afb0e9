import { describe, expect, test, vi } from 'vitest';
import type { Account, OutboxItem } from '../../../../electron/ipc/contract';
import { createSettingsService } from '../../../../electron/settings/settings-service';
import { createEventBus } from '../../../../electron/ipc/event-bus';
import { AppError } from '../../../../electron/shared/errors';
import { createLogger, createMemorySink, createRedactor } from '../../../../electron/shared/logger';
import type { ShortcutRegistry } from '../../../../electron/shell/global-shortcut';
import { createShellState, type ShellStateDeps } from '../../../../electron/shell/shell-state';
import type { TrayState } from '../../../../electron/shell/tray-menu';
import { relayStatus } from '../../../fakes/fake-api';

const account = (id: string, health: Account['health'] = 'ready'): Account => ({
  id,
  provider: 'google',
  providerName: 'Google',
  address: `${id}@example.com`,
  fromAddress: `${id}@example.com`,
  displayName: id,
  health,
  storage: 'vault',
  lastUsedAt: null,
});
const item = (id: string, state: OutboxItem['state']): OutboxItem => ({
  id,
  accountId: 'a',
  from: 'a@example.com',
  to: ['b@example.com'],
  cc: [],
  bcc: [],
  subject: `S${id}`,
  attachmentNames: [],
  sizeBytes: 1,
  state,
  attempts: 0,
  createdAt: '2025-01-01T00:00:00.000Z',
  nextAttemptAt: null,
  lastError: state === 'failed' ? { code: 'smtp.permanent', message: 'The server refused the message.' } : null,
});

function world(options: { accounts?: Account[]; outbox?: OutboxItem[] | 'starting'; taken?: string[] } = {}) {
  const store = new Map<string, unknown>();
  const settings = createSettingsService({
    store: {
      get: (k) => store.get(k),
      set: (k, v) => void store.set(k, v),
      delete: (k) => void store.delete(k),
      has: (k) => store.has(k),
    },
  });
  const events = createEventBus();
  const logger = createLogger({ sink: createMemorySink(), redactor: createRedactor(), scope: 'test' });
  let paused = false;
  const calls: Array<[string, unknown]> = [];
  const services: Pick<ShellStateDeps['core'], 'accounts' | 'mail' | 'relay'> = {
    accounts: {
      list: () => options.accounts ?? [],
      signOutAll: async (request) => (
        calls.push(['signOutAll', request]),
        { accounts: 1, revoked: 1, revocationFailed: 0, deletedMessages: 0 }
      ),
    },
    mail: {
      outbox: async () => {
        if (options.outbox === 'starting') throw new AppError('mail.starting', 'Sending is still starting up.');
        return { items: options.outbox ?? [], paused, revision: 0 };
      },
      setPaused: async (next) => ((paused = next), { paused }),
      history: async () => [
        {
          id: 'm1',
          time: 't',
          accountId: 'a',
          from: 'a@example.com',
          to: ['b@example.com'],
          subject: 'Hello',
          sizeBytes: 1,
          messageId: null,
          outcome: 'sent',
          error: null,
        },
      ],
    },
    relay: { status: () => relayStatus() },
  };
  const held = new Set<string>();
  const registry: ShortcutRegistry = {
    register: (a) => (options.taken?.includes(a) ? false : (held.add(a), true)),
    unregister: (a) => void held.delete(a),
  };
  const trayStates: TrayState[] = [];
  const deps: ShellStateDeps = {
    core: { ...services, events, settings, logger },
    windows: { showMain: vi.fn(), showQuickSend: vi.fn() },
    platform: 'linux',
    notify: vi.fn(),
    askSignOut: vi.fn(async () => 1),
    registry,
    onTrayState: (s) => trayStates.push(s),
    openCompose: vi.fn(async () => {}),
    applyStartAtLogin: vi.fn(async () => {}),
    startAtLoginAvailable: true,
    applyMailtoHandler: vi.fn(() => true),
    quit: vi.fn(),
  };
  return { deps, events, settings, held, trayStates, calls };
}

describe('shell state', () => {
  test('starts from the core: accounts, outbox, the shortcut registered', async () => {
    const w = world({ accounts: [account('ada')], outbox: [item('1', 'waiting')] });
    const state = await createShellState(w.deps);
    expect(state.trayState()).toMatchObject({
      accounts: [{ id: 'ada' }],
      outbox: [{ id: '1' }],
      paused: false,
      startAtLogin: false,
    });
    expect(state.shortcut()).toEqual({ state: 'registered', accelerator: 'CommandOrControl+Shift+M' });
    expect([...w.held]).toEqual(['CommandOrControl+Shift+M']);
    expect(w.deps.notify).not.toHaveBeenCalled();
  });

  test('an outbox still starting (mail.starting) leaves an empty outbox', async () => {
    const state = await createShellState(world({ outbox: 'starting' }).deps);
    expect(state.outbox()).toEqual([]);
  });

  test('events update the tray; failures, sends and needed sign-ins notify with their view', async () => {
    const w = world({ accounts: [account('ada')], outbox: [item('m1', 'sending'), item('m2', 'retrying')] });
    await createShellState(w.deps);
    // m1 was being sent and is gone (sent, history says); m2 failed for good.
    w.events.emit('outbox:changed', {
      revision: 1,
      paused: false,
      changes: [
        { type: 'removed', id: 'm1' },
        { type: 'updated', item: item('m2', 'failed') },
      ],
    });
    await vi.waitFor(() => expect(w.deps.notify).toHaveBeenCalledTimes(2));
    expect(w.deps.notify).toHaveBeenCalledWith({
      title: 'Not sent: “Sm2”',
      body: 'The server refused the message.',
      view: 'outbox',
    });
    expect(w.deps.notify).toHaveBeenCalledWith({ title: 'Sent: “Hello”', body: 'To b@example.com', view: 'outbox' });
    expect(w.trayStates.at(-1)!.outbox).toHaveLength(1);
    w.events.emit('accounts:changed', { accounts: [account('ada', 'needs-sign-in')] });
    expect(w.deps.notify).toHaveBeenLastCalledWith(expect.objectContaining({ view: 'accounts' }));
    expect(w.trayStates.at(-1)!.accounts[0]!.health).toBe('needs-sign-in');
  });

  test('a message refused for some recipients: one "partly sent" notification naming them, no "sent" one', async () => {
    const w = world({ accounts: [account('ada')], outbox: [item('m1', 'sending')] });
    await createShellState(w.deps);
    const partial: OutboxItem = {
      ...item('m1', 'failed'),
      to: ['bob@example.org'],
      deliveredTo: ['ada@example.org', 'carol@example.org'],
      refused: [
        { address: 'bob@example.org', reply: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown' },
      ],
    };
    w.events.emit('outbox:changed', { revision: 1, paused: false, changes: [{ type: 'updated', item: partial }] });
    expect(w.deps.notify).toHaveBeenCalledTimes(1);
    expect(w.deps.notify).toHaveBeenCalledWith({
      title: 'Partly sent: “Sm1”',
      body: 'Sent to 2 of 3 recipients. Not delivered to bob@example.org: the server said "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown".',
      view: 'outbox',
    });
  });

  test('an account already needing sign-in at start-up gets one reminder', async () => {
    const w = world({ accounts: [account('ada', 'needs-sign-in')] });
    await createShellState(w.deps);
    expect(w.deps.notify).toHaveBeenCalledTimes(1);
  });

  test('settings changes re-register the shortcut, toggle the login item and the mailto: handler', async () => {
    const w = world();
    await createShellState(w.deps);
    w.settings.set({ globalShortcut: 'Alt+Shift+Q' });
    expect([...w.held]).toEqual(['Alt+Shift+Q']);
    w.settings.set({ startAtLogin: true });
    expect(w.deps.applyStartAtLogin).toHaveBeenCalledWith(true);
    expect(w.trayStates.at(-1)!.startAtLogin).toBe(true);
    w.settings.set({ mailtoHandler: true });
    expect(w.deps.applyMailtoHandler).toHaveBeenCalledWith(true);
  });

  test('a shortcut clash is reported and points at settings', async () => {
    const w = world({ taken: ['CommandOrControl+Shift+M'] });
    const state = await createShellState(w.deps);
    expect(state.shortcut().state).toBe('clash');
    expect(w.deps.notify).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Shortcut not available', view: 'settings' }),
    );
  });

  test('a refused mailto: registration is reported; a failing login item too', async () => {
    const w = world();
    (w.deps.applyMailtoHandler as ReturnType<typeof vi.fn>).mockReturnValue(false);
    (w.deps.applyStartAtLogin as ReturnType<typeof vi.fn>).mockRejectedValue(new Error('EACCES'));
    await createShellState(w.deps);
    w.settings.set({ mailtoHandler: true, startAtLogin: true });
    await vi.waitFor(() => expect(w.deps.notify).toHaveBeenCalledTimes(2));
  });

  test('tray actions', async () => {
    const w = world({ accounts: [account('ada')], outbox: [item('1', 'waiting')] });
    const state = await createShellState(w.deps);
    await state.onTrayAction({ type: 'quick-send' });
    expect(w.deps.windows.showQuickSend).toHaveBeenCalled();
    await state.onTrayAction({ type: 'show', view: 'outbox' });
    expect(w.deps.windows.showMain).toHaveBeenCalledWith('outbox');
    await state.onTrayAction({ type: 'toggle-pause' });
    expect(state.trayState().paused).toBe(true);
    await state.onTrayAction({ type: 'toggle-pause' });
    expect(state.trayState().paused).toBe(false);
    await state.onTrayAction({ type: 'toggle-start-at-login' });
    expect(w.settings.get().startAtLogin).toBe(true);
    await state.onTrayAction({ type: 'sign-out-all' });
    expect(w.deps.askSignOut).toHaveBeenCalledWith(
      expect.objectContaining({ buttons: ['Cancel', 'Sign out and keep it', 'Sign out and delete it'] }),
    );
    expect(w.calls).toEqual([['signOutAll', { deleteWaitingMessages: false }]]);
    await state.onTrayAction({ type: 'quit' });
    expect(w.deps.quit).toHaveBeenCalled();
  });

  test('quick send with no account opens the accounts view; cancelling sign-out does nothing', async () => {
    const w = world();
    const state = await createShellState(w.deps);
    await state.onTrayAction({ type: 'quick-send' });
    expect(w.deps.windows.showMain).toHaveBeenCalledWith('accounts');
    (w.deps.askSignOut as ReturnType<typeof vi.fn>).mockResolvedValue(0);
    await state.onTrayAction({ type: 'sign-out-all' });
    expect(w.calls).toEqual([]);
  });

  test('dispose frees the shortcut and stops listening', async () => {
    const w = world();
    const state = await createShellState(w.deps);
    state.dispose();
    expect(w.held.size).toBe(0);
    const before = w.trayStates.length;
    w.events.emit('accounts:changed', { accounts: [] });
    expect(w.trayStates.length).toBe(before);
  });

  test('the tray follows the relay for other programs: its state and port from relay:changed', async () => {
    const w = world();
    const state = await createShellState(w.deps);
    // Read from the relay at start-up: off, so the tray shows no line for it.
    expect(state.trayState().relay).toEqual({ state: 'off', port: 1587 });
    w.events.emit('relay:changed', {
      status: relayStatus({
        settings: { enabled: true, port: 2525, allowPlainAuth: true, implicitTlsPort: null },
        state: 'listening',
        listening: [{ address: '127.0.0.1', port: 2525, tls: 'starttls' }],
      }),
      programs: [],
    });
    expect(w.trayStates.at(-1)!.relay).toEqual({ state: 'listening', port: 2525 });
    state.dispose();
  });
});
