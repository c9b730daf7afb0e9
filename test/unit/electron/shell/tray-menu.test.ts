import { describe, expect, test } from 'vitest';
import {
  MAX_TRAY_ACCOUNTS,
  menuLabel,
  trayIconFile,
  trayMenuModel,
  trayTooltip,
  type TrayMenuItem,
  type TrayState,
} from '../../../../electron/shell/tray-menu';

const base: TrayState = {
  platform: 'linux',
  accounts: [],
  outbox: [],
  paused: false,
  startAtLogin: false,
  startAtLoginAvailable: true,
};
const ada = { id: 'a1', address: 'ada@example.com', health: 'ready' as const };
const bob = { id: 'b1', address: 'bob@example.com', health: 'needs-sign-in' as const };

const labels = (items: TrayMenuItem[]) =>
  items.map((i) =>
    i.kind === 'separator' ? '---' : `${i.label}${i.enabled ? '' : ' [off]'}${i.checked ? ' [x]' : ''}`,
  );
const find = (items: TrayMenuItem[], label: string) =>
  items.find((i) => i.kind === 'action' && i.label.startsWith(label)) as Extract<TrayMenuItem, { kind: 'action' }>;

describe('trayMenuModel', () => {
  test('no accounts: add one first; quick send and sign out are off', () => {
    expect(labels(trayMenuModel(base))).toEqual([
      'Add an account…',
      'Quick send… [off]',
      '---',
      'Outbox',
      'Pause sending',
      '---',
      'Start at login',
      'Settings…',
      'Sign out of all accounts… [off]',
      '---',
      'Quit Quicksend',
    ]);
    expect(find(trayMenuModel(base), 'Add an account').action).toEqual({ type: 'show', view: 'accounts' });
  });

  test('accounts with their health; each opens the accounts view', () => {
    const items = trayMenuModel({
      ...base,
      accounts: [
        ada,
        bob,
        { id: 'c', address: 'c@example.com', health: 'session-only' },
        { id: 'd', address: 'd@example.com', health: 'refreshing' },
      ],
    });
    expect(labels(items).slice(0, 7)).toEqual([
      'Quick send…',
      '---',
      'ada@example.com — ready',
      'bob@example.com — sign in again…',
      'c@example.com — this session only',
      'd@example.com — checking…',
      '---',
    ]);
    expect(find(items, 'bob@').action).toEqual({ type: 'show', view: 'accounts' });
    expect(find(items, 'Quick send').action).toEqual({ type: 'quick-send' });
    expect(find(items, 'Sign out').enabled).toBe(true);
  });

  test('N waiting and N not sent in the outbox item', () => {
    const outbox = [
      { state: 'waiting' },
      { state: 'sending' },
      { state: 'retrying' },
      { state: 'failed' },
      { state: 'needs-sign-in' },
      { state: 'untrusted-server' },
    ] as const;
    expect(find(trayMenuModel({ ...base, accounts: [ada], outbox: [...outbox] }), 'Outbox').label).toBe(
      'Outbox (3 waiting, 3 not sent)',
    );
    expect(find(trayMenuModel({ ...base, accounts: [ada], outbox: [{ state: 'waiting' }] }), 'Outbox').label).toBe(
      'Outbox (1 waiting)',
    );
    expect(find(trayMenuModel({ ...base, accounts: [ada], outbox: [{ state: 'waiting' }] }), 'Outbox').action).toEqual({
      type: 'show',
      view: 'outbox',
    });
  });

  test('paused: the checkbox is ticked and paused items still count as waiting', () => {
    const items = trayMenuModel({
      ...base,
      accounts: [ada],
      paused: true,
      outbox: [{ state: 'paused' }, { state: 'paused' }],
    });
    expect(find(items, 'Pause sending')).toMatchObject({ checked: true, action: { type: 'toggle-pause' } });
    expect(find(items, 'Outbox').label).toBe('Outbox (2 waiting)');
    expect(find(trayMenuModel({ ...base, accounts: [ada] }), 'Pause sending').checked).toBe(false);
  });

  test('start at login reflects the setting and is off where unavailable', () => {
    expect(find(trayMenuModel({ ...base, startAtLogin: true }), 'Start at login')).toMatchObject({
      checked: true,
      enabled: true,
    });
    expect(find(trayMenuModel({ ...base, startAtLoginAvailable: false }), 'Start at login').enabled).toBe(false);
  });

  test('many accounts are summarised', () => {
    const accounts = Array.from({ length: MAX_TRAY_ACCOUNTS + 3 }, (_, i) => ({
      id: `${i}`,
      address: `u${i}@example.com`,
      health: 'ready' as const,
    }));
    const items = trayMenuModel({ ...base, accounts });
    expect(items.filter((i) => i.kind === 'action' && i.label.includes('@'))).toHaveLength(MAX_TRAY_ACCOUNTS);
    expect(find(items, '3 more accounts')).toBeTruthy();
  });

  test('labels escape & outside macOS and never span lines', () => {
    const odd = { id: 'x', address: 'r&d@example.com', health: 'ready' as const };
    expect(find(trayMenuModel({ ...base, accounts: [odd] }), 'r&&d').label).toBe('r&&d@example.com — ready');
    expect(find(trayMenuModel({ ...base, platform: 'darwin', accounts: [odd] }), 'r&d').label).toBe(
      'r&d@example.com — ready',
    );
    expect(menuLabel('a\nb', 'linux')).toBe('a b');
  });

  test('quit is always last', () => {
    const items = trayMenuModel({ ...base, accounts: [ada] });
    expect(items.at(-1)).toMatchObject({ label: 'Quit Quicksend', action: { type: 'quit' } });
  });
});

test('tooltip', () => {
  expect(trayTooltip(base)).toBe('Quicksend');
  expect(
    trayTooltip({ ...base, paused: true, accounts: [bob], outbox: [{ state: 'paused' }, { state: 'failed' }] }),
  ).toBe('Quicksend — sending paused, 1 waiting, 1 not sent, 1 account needs sign-in');
});

test('icon: template on macOS, glyph by panel colour elsewhere', () => {
  expect(trayIconFile('darwin', true)).toBe('trayTemplate.png');
  expect(trayIconFile('win32', true)).toBe('tray-dark.png');
  expect(trayIconFile('linux', false)).toBe('tray-light.png');
});

describe('the relay for other programs in the tray', () => {
  test('off: no line; on: its port; failed: says so, in the tooltip too; each opens Settings', () => {
    expect(labels(trayMenuModel({ ...base, relay: { state: 'off', port: 1587 } }))).toEqual(
      labels(trayMenuModel(base)),
    );
    const on = trayMenuModel({ ...base, relay: { state: 'listening', port: 1587 } });
    expect(find(on, 'Other programs').label).toBe('Other programs: on, port 1587');
    expect(find(on, 'Other programs').action).toEqual({ type: 'show', view: 'settings' });
    const failed = trayMenuModel({ ...base, relay: { state: 'failed', port: 2525 } });
    expect(find(failed, 'Other programs').label).toBe('Other programs: not listening (port 2525)…');
    expect(trayTooltip({ ...base, relay: { state: 'failed', port: 2525 } })).toBe(
      'Quicksend — other programs cannot send',
    );
    expect(trayTooltip({ ...base, relay: { state: 'listening', port: 1587 } })).toBe('Quicksend');
  });
});
