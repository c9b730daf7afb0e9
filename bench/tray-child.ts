/**
 * One fresh process of item 7's tray figure: `trayMenuModel` + `trayTooltip`
 * (electron/shell/tray-menu.ts) for 50 accounts and a large outbox; the first call (cold code)
 * and then many calls.
 */
import type { OutboxItem } from '../electron/ipc/contract';
import { trayMenuModel, trayTooltip, type TrayState } from '../electron/shell/tray-menu';
import { runWorker } from './lib/worker';

export type TraySample = { accounts: number; outboxItems: number; firstCallMs: number; callsMs: number[] };

const ACCOUNTS = 50;
const CALLS = 200;

runWorker('tray', async (): Promise<TraySample> => {
  const outboxItems = Number(process.env.BENCH_TRAY_OUTBOX ?? 10_000);
  const states: OutboxItem['state'][] = ['waiting', 'sending', 'retrying', 'failed', 'needs-sign-in', 'paused'];
  const state: TrayState = {
    platform: 'linux',
    accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: `acc-${i}`,
      address: `person${i}&co@example.com`,
      health: i % 7 === 0 ? 'needs-sign-in' : 'ready',
    })),
    outbox: Array.from({ length: outboxItems }, (_, i) => ({ state: states[i % states.length]! })),
    paused: false,
    startAtLogin: true,
    startAtLoginAvailable: true,
  };
  const once = () => {
    const started = performance.now();
    const items = trayMenuModel(state);
    const tooltip = trayTooltip(state);
    if (items.length === 0 || !tooltip) throw new Error('empty tray model');
    return performance.now() - started;
  };
  const firstCallMs = once();
  return { accounts: ACCOUNTS, outboxItems, firstCallMs, callsMs: Array.from({ length: CALLS }, once) };
});
