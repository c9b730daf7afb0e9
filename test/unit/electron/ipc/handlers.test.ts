// The IPC adapter against recording services: each channel reaches the one method it names,
// with the request's fields as the method takes them; the sender matters only for drafts.
import { describe, expect, test } from 'vitest';
import { channelNames } from '../../../../electron/ipc/contract';
import { createHandlers, createPreloadHandlers, type Services } from '../../../../electron/ipc/handlers';
import type { HandlerContext } from '../../../../electron/ipc/router';
import type { FileService } from '../../../../electron/files/file-service';

type Call = [service: string, method: string, args: unknown[]];

/** Every service as a recorder: any method answers `answer(service, method)` and is logged. */
function recordingServices(answer: (service: string, method: string) => unknown = () => ({})) {
  const calls: Call[] = [];
  const service = (name: string) =>
    new Proxy(
      {},
      {
        get:
          (_target, method) =>
          (...args: unknown[]) => {
            calls.push([name, String(method), args]);
            return answer(name, String(method));
          },
      },
    );
  const names = [
    'app',
    'accounts',
    'mail',
    'settings',
    'drafts',
    'files',
    'diagnostics',
    'relay',
    'certificates',
  ] as const;
  // A test double: the Proxy answers any method the adapter calls.
  const services = Object.fromEntries(names.map((name) => [name, service(name)])) as unknown as Services;
  return { services, calls };
}

const fromWindow = (windowId?: number): HandlerContext => ({
  sender: {
    frameUrl: 'app://quicksend/index.html',
    isMainFrame: true,
    ...(windowId === undefined ? {} : { windowId }),
  },
});

describe('IPC adapter', () => {
  test('maps exactly the contract channels, no more and no fewer', () => {
    const { services } = recordingServices();
    expect(Object.keys(createHandlers(services)).sort()).toEqual([...channelNames].sort());
  });

  test('requests become plain method arguments', async () => {
    const { services, calls } = recordingServices((_service, method) =>
      method === 'setPaused' ? { paused: true } : {},
    );
    const handlers = createHandlers(services);
    const ctx = fromWindow(1);
    await handlers['outbox:cancel']({ id: 'lzq1x2a3-0123456789ab' }, ctx);
    await handlers['outbox:pause']({}, ctx);
    await handlers['outbox:resume']({}, ctx);
    await handlers['history:list']({ limit: 5 }, ctx);
    await handlers['accounts:test']({ accountId: 'acc-1' }, ctx);
    await handlers['relay:updateCredential']({ id: '01234567-89ab-cdef-0123-456789abcdef', programName: 'cron' }, ctx);
    await handlers['files:describe']({ fileIds: ['AAAAAAAAAAAAAAAAAAAAAA'] }, ctx);
    expect(calls).toEqual([
      ['mail', 'cancel', ['lzq1x2a3-0123456789ab']],
      ['mail', 'setPaused', [true]],
      ['mail', 'setPaused', [false]],
      ['mail', 'history', [5]],
      ['mail', 'testAccount', ['acc-1']],
      ['relay', 'updateCredential', ['01234567-89ab-cdef-0123-456789abcdef', { programName: 'cron' }]],
      ['files', 'describe', [['AAAAAAAAAAAAAAAAAAAAAA']]],
    ]);
  });

  test("app:log writes the renderer's line and answers an empty object", async () => {
    const { services, calls } = recordingServices();
    expect(await createHandlers(services)['app:log']({ level: 'warn', message: 'slow paint' }, fromWindow(1))).toEqual(
      {},
    );
    expect(calls).toEqual([['app', 'log', ['warn', 'slow paint']]]);
  });

  test("each window's draft holds its own file ids; a page without a window id is keyed by its URL", async () => {
    const { services, calls } = recordingServices((_service, method) =>
      method === 'saveFor' ? '2030-01-01T00:00:00.000Z' : null,
    );
    const handlers = createHandlers(services);
    expect(await handlers['drafts:save']({ draft: null }, fromWindow(3))).toEqual({
      savedAt: '2030-01-01T00:00:00.000Z',
    });
    await handlers['drafts:get']({}, fromWindow(4));
    await handlers['drafts:get']({}, fromWindow());
    expect(calls).toEqual([
      ['drafts', 'saveFor', ['draft:3', null]],
      ['drafts', 'openFor', ['draft:4']],
      ['drafts', 'openFor', ['draft:app://quicksend/index.html']],
    ]);
  });

  test("the preload's drop channel gives the dropped paths to the files service", async () => {
    const given: string[][] = [];
    const files: FileService = {
      give: async (paths) => (given.push([...paths]), []),
      choose: async () => [],
      describe: async () => [],
    };
    expect(
      await createPreloadHandlers(files)['files:addDropped']({ paths: ['/home/ada/a.pdf'] }, fromWindow(1)),
    ).toEqual([]);
    expect(given).toEqual([['/home/ada/a.pdf']]);
  });
});
