/**
 * The tray menu as plain data, built from app state by one pure function so every state (no
 * accounts, healthy and needs-sign-in accounts, N waiting, paused) is unit-tested;
 * `platform/tray.ts` only turns it into an Electron Menu. Also the tooltip and which icon
 * file suits the platform and panel colour.
 */
import type { Account, OutboxItem, RelayStatus } from '../ipc/contract';

export type TrayView = 'compose' | 'accounts' | 'outbox' | 'settings';

export type TrayAction =
  | { type: 'quick-send' }
  | { type: 'show'; view: TrayView }
  | { type: 'toggle-pause' }
  | { type: 'toggle-start-at-login' }
  | { type: 'sign-out-all' }
  | { type: 'quit' };

export type TrayMenuItem =
  { kind: 'action'; label: string; enabled: boolean; action: TrayAction; checked?: boolean } | { kind: 'separator' };

export type TrayAccount = Pick<Account, 'id' | 'address' | 'health'>;

export type TrayState = {
  platform: NodeJS.Platform | string;
  accounts: readonly TrayAccount[];
  outbox: readonly Pick<OutboxItem, 'state'>[];
  paused: boolean;
  startAtLogin: boolean;
  /** False where Quicksend cannot manage its own login item (e.g. not installed). */
  startAtLoginAvailable: boolean;
  /** The relay for other programs (issue 16); absent or `off`: no tray line. */
  relay?: { state: RelayStatus['state']; port: number };
};

const RELAY_LABEL: Record<Exclude<RelayStatus['state'], 'off'>, (port: number) => string> = {
  starting: (port) => `Other programs: starting on port ${port}…`,
  listening: (port) => `Other programs: on, port ${port}`,
  failed: (port) => `Other programs: not listening (port ${port})…`,
};

/** Accounts listed by name; the rest are summarised in one item. */
export const MAX_TRAY_ACCOUNTS = 8;

const HEALTH_LABEL: Record<TrayAccount['health'], string> = {
  ready: 'ready',
  refreshing: 'checking…',
  'needs-sign-in': 'sign in again…',
  'session-only': 'this session only',
};

/** Windows and Linux read `&` in a menu label as a mnemonic marker; `&&` is a literal `&`. */
export function menuLabel(text: string, platform: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return platform === 'darwin' ? oneLine : oneLine.replace(/&/g, '&&');
}

/** Messages that will still go out by themselves (not failed, not waiting for a sign-in). */
export function pendingCount(outbox: readonly Pick<OutboxItem, 'state'>[]): number {
  return outbox.filter(
    (i) => i.state === 'waiting' || i.state === 'sending' || i.state === 'retrying' || i.state === 'paused',
  ).length;
}

export function problemCount(outbox: readonly Pick<OutboxItem, 'state'>[]): number {
  return outbox.filter((i) => i.state === 'failed' || i.state === 'needs-sign-in' || i.state === 'untrusted-server')
    .length;
}

function outboxLabel(state: TrayState): string {
  const waiting = pendingCount(state.outbox);
  const problems = problemCount(state.outbox);
  const parts = [waiting ? `${waiting} waiting` : '', problems ? `${problems} not sent` : ''].filter(Boolean);
  return parts.length ? `Outbox (${parts.join(', ')})` : 'Outbox';
}

export function trayMenuModel(state: TrayState): TrayMenuItem[] {
  const label = (text: string) => menuLabel(text, state.platform);
  const hasAccounts = state.accounts.length > 0;
  const items: TrayMenuItem[] = [];
  if (!hasAccounts)
    items.push({ kind: 'action', label: 'Add an account…', enabled: true, action: { type: 'show', view: 'accounts' } });
  items.push({ kind: 'action', label: 'Quick send…', enabled: hasAccounts, action: { type: 'quick-send' } });
  items.push({ kind: 'separator' });
  for (const account of state.accounts.slice(0, MAX_TRAY_ACCOUNTS)) {
    items.push({
      kind: 'action',
      label: label(`${account.address} — ${HEALTH_LABEL[account.health]}`),
      enabled: true,
      action: { type: 'show', view: 'accounts' },
    });
  }
  if (state.accounts.length > MAX_TRAY_ACCOUNTS) {
    items.push({
      kind: 'action',
      label: `${state.accounts.length - MAX_TRAY_ACCOUNTS} more accounts…`,
      enabled: true,
      action: { type: 'show', view: 'accounts' },
    });
  }
  if (hasAccounts) items.push({ kind: 'separator' });
  items.push({ kind: 'action', label: outboxLabel(state), enabled: true, action: { type: 'show', view: 'outbox' } });
  items.push({
    kind: 'action',
    label: 'Pause sending',
    enabled: true,
    checked: state.paused,
    action: { type: 'toggle-pause' },
  });
  if (state.relay && state.relay.state !== 'off') {
    items.push({
      kind: 'action',
      label: RELAY_LABEL[state.relay.state](state.relay.port),
      enabled: true,
      action: { type: 'show', view: 'settings' },
    });
  }
  items.push({ kind: 'separator' });
  items.push({
    kind: 'action',
    label: 'Start at login',
    enabled: state.startAtLoginAvailable,
    checked: state.startAtLogin,
    action: { type: 'toggle-start-at-login' },
  });
  items.push({ kind: 'action', label: 'Settings…', enabled: true, action: { type: 'show', view: 'settings' } });
  items.push({
    kind: 'action',
    label: 'Sign out of all accounts…',
    enabled: hasAccounts,
    action: { type: 'sign-out-all' },
  });
  items.push({ kind: 'separator' });
  items.push({ kind: 'action', label: 'Quit Quicksend', enabled: true, action: { type: 'quit' } });
  return items;
}

/** The tray tooltip: the one line a person sees on hover. */
export function trayTooltip(state: TrayState): string {
  const needSignIn = state.accounts.filter((a) => a.health === 'needs-sign-in').length;
  const waiting = pendingCount(state.outbox);
  const problems = problemCount(state.outbox);
  const notes = [
    state.paused ? 'sending paused' : '',
    waiting ? `${waiting} waiting` : '',
    problems ? `${problems} not sent` : '',
    needSignIn ? `${needSignIn} ${needSignIn === 1 ? 'account needs' : 'accounts need'} sign-in` : '',
    state.relay?.state === 'failed' ? 'other programs cannot send' : '',
  ].filter(Boolean);
  return notes.length ? `Quicksend — ${notes.join(', ')}` : 'Quicksend';
}

/**
 * The icon file in `<resources>/tray`: a template image on macOS (the menu bar tints it), a
 * white glyph for dark panels and a dark glyph for light ones elsewhere. `@2x` files next to
 * them are picked up by nativeImage on high-DPI screens.
 */
export function trayIconFile(platform: string, darkPanel: boolean): string {
  if (platform === 'darwin') return 'trayTemplate.png';
  return darkPanel ? 'tray-dark.png' : 'tray-light.png';
}
