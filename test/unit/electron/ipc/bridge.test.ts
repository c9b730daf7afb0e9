import { describe, expect, test, vi } from 'vitest';
import { createBridge } from '../../../../electron/ipc/bridge';
import { channelNames } from '../../../../electron/ipc/contract';

describe('bridge', () => {
  test('exposes exactly one method per contract channel, grouped by domain, plus on() and files.describeDropped', () => {
    const api = createBridge(vi.fn(), vi.fn()) as unknown as Record<string, Record<string, unknown>>;
    const exposed = Object.entries(api).flatMap(([domain, group]) =>
      typeof group === 'function' ? [domain] : Object.keys(group).map((action) => `${domain}:${action}`),
    );
    expect(exposed.sort()).toEqual([...channelNames, 'on', 'files:describeDropped'].sort());
    for (const channel of channelNames) {
      const [domain, action] = channel.split(':') as [string, string];
      expect(typeof api[domain]![action]).toBe('function');
    }
  });

  test('a method invokes its channel with the request, defaulting to an empty object', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: [] }));
    const api = createBridge(invoke, vi.fn());
    await api.accounts.list();
    expect(invoke).toHaveBeenCalledWith('accounts:list', {});
  });

  test('on() hands the listener only the payload and returns the unsubscribe', () => {
    let forward: ((payload: unknown) => void) | undefined;
    const unsubscribe = vi.fn();
    const subscribe = vi.fn((_event, listener: (payload: unknown) => void) => {
      forward = listener;
      return unsubscribe;
    });
    const api = createBridge(vi.fn(), subscribe);
    const listener = vi.fn();
    const off = api.on('accounts:changed', listener);
    forward!({ accounts: [] });
    expect(listener).toHaveBeenCalledWith({ accounts: [] });
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    expect(unsubscribe).toHaveBeenCalled();
  });

  test('on() refuses unknown events and non-function listeners', () => {
    const api = createBridge(vi.fn(), vi.fn());
    expect(() => api.on('secrets:dump' as never, () => {})).toThrow(/Unknown Quicksend event/);
    expect(() => api.on('accounts:changed', 'nope' as never)).toThrow(/function/);
  });

  test('files.describeDropped turns dropped files into paths and asks files:describe', async () => {
    const info = [{ path: '/home/a/report.pdf', name: 'report.pdf', sizeBytes: 10, problem: null }];
    const invoke = vi.fn(async () => ({ ok: true as const, value: info }));
    const pathForFile = vi.fn(async (file: File) => `/home/a/${file.name}`);
    const api = createBridge(invoke, vi.fn(), pathForFile);
    const result = await api.files.describeDropped([new File(['x'], 'report.pdf')]);
    expect(result).toEqual({ ok: true, value: info });
    expect(invoke).toHaveBeenCalledWith('files:describe', { paths: ['/home/a/report.pdf'] });
  });

  test('files.describeDropped skips files without a path (built in script) and never invokes for none', async () => {
    const invoke = vi.fn();
    const api = createBridge(invoke, vi.fn(), () => '');
    expect(await api.files.describeDropped([new File(['x'], 'forged.txt')])).toEqual({ ok: true, value: [] });
    expect(invoke).not.toHaveBeenCalled();
  });

  test('files.describeDropped without a path resolver answers a plain-words failure', async () => {
    const invoke = vi.fn();
    const api = createBridge(invoke, vi.fn());
    const result = await api.files.describeDropped([new File(['x'], 'a.txt')]);
    expect(result).toMatchObject({ ok: false, error: { code: 'files.drop_unavailable' } });
    expect(invoke).not.toHaveBeenCalled();
  });
});
