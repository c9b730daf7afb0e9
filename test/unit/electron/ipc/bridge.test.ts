import { describe, expect, test, vi } from 'vitest';
import { createBridge, dropThroughPaths } from '../../../../electron/ipc/bridge';
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

  test('files.describeDropped hands the File objects to the host and never invokes a channel itself', async () => {
    const info = [{ fileId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'report.pdf', sizeBytes: 10, problem: null }];
    const invoke = vi.fn();
    const dropFiles = vi.fn(async () => ({ ok: true as const, value: info }));
    const api = createBridge(invoke, vi.fn(), dropFiles);
    const file = new File(['x'], 'report.pdf');
    expect(await api.files.describeDropped([file])).toEqual({ ok: true, value: info });
    expect(dropFiles).toHaveBeenCalledWith([file]);
    expect(invoke).not.toHaveBeenCalled();
    // Nothing dropped, or not a list: no call at all.
    expect(await api.files.describeDropped([])).toEqual({ ok: true, value: [] });
    expect(await api.files.describeDropped('/etc/passwd' as never)).toEqual({ ok: true, value: [] });
    // More than a message can carry is said in plain words, not cut silently.
    const many = Array.from({ length: 101 }, (_, i) => new File(['x'], `f${i}.txt`));
    expect(await api.files.describeDropped(many)).toMatchObject({
      ok: false,
      error: { code: 'files.too_many', message: 'At most 100 files can be dropped at once.' },
    });
    expect(dropFiles).toHaveBeenCalledTimes(1);
  });

  test('files.describeDropped without a drop transport answers a plain-words failure', async () => {
    const invoke = vi.fn();
    const api = createBridge(invoke, vi.fn());
    const result = await api.files.describeDropped([new File(['x'], 'a.txt')]);
    expect(result).toMatchObject({ ok: false, error: { code: 'files.drop_unavailable' } });
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('dropThroughPaths (the preload side of a drop)', () => {
  test('dropped Files become paths here and go to main through the given sender, not a channel of window.quicksend', async () => {
    const sendPaths = vi.fn(async () => ({ ok: true as const, value: [] }));
    const drop = dropThroughPaths(async (file) => `/home/a/${file.name}`, sendPaths);
    await drop([new File(['x'], 'report.pdf'), new File(['y'], 'b.txt')]);
    expect(sendPaths).toHaveBeenCalledWith(['/home/a/report.pdf', '/home/a/b.txt']);
  });

  test('a File built in script (no path) and anything that is not a File attach nothing', async () => {
    const sendPaths = vi.fn();
    const pathForFile = (file: File) => {
      if (!(file instanceof File)) throw new TypeError('Expected a File');
      return '';
    };
    const drop = dropThroughPaths(pathForFile, sendPaths);
    expect(await drop([new File(['x'], 'forged.txt'), '/etc/passwd', { path: '/etc/passwd' }])).toEqual({
      ok: true,
      value: [],
    });
    expect(sendPaths).not.toHaveBeenCalled();
  });
});
