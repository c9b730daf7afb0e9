import { spawn } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import { findPortOwner, listeningInodes } from '../../../../electron/relay/port-owner';
import { freePort } from '../../../support/relay/relay-world';

const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:062B 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:062B 0100007F:9ED9 01 00000000:00000000 03:00000973 00000000  1000        0 5555 3 0000000000000000
   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7777 1 0000000000000000 100 0 0 10 0`;

test('reads the listening socket of a port from /proc/net/tcp, ignoring connections', () => {
  expect(listeningInodes(TABLE, 1579)).toEqual(['4242']);
  expect(listeningInodes(TABLE, 80)).toEqual(['7777']);
  expect(listeningInodes(TABLE, 1587)).toEqual([]);
});

test('names no program off Linux', async () => {
  expect(await findPortOwner(1, { platform: 'darwin' })).toBeNull();
});

let child: ReturnType<typeof spawn> | undefined;
afterEach(() => child?.kill());

test.runIf(process.platform === 'linux')(
  'names the process that listens on a port, and nothing for a free one',
  async () => {
    const port = await freePort();
    expect(await findPortOwner(port)).toBeNull();
    child = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('ready'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child!.stdout!.once('data', () => resolve()));
    expect(await findPortOwner(port)).toEqual({ pid: child.pid, name: 'node' });
  },
);
