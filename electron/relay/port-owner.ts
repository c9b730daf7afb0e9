/**
 * Which program holds a TCP port, where the OS lets an ordinary program read it: on Linux,
 * `/proc/net/tcp{,6}` names the listening socket's inode and `/proc/<pid>/fd` links to it
 * (readable for the person's own processes). Elsewhere, or when nothing can be read, null:
 * the relay then names just the port.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

export type PortOwner = { pid: number; name: string };

const LISTEN = '0A';

/** Inodes of sockets listening on `port`, from the text of /proc/net/tcp or tcp6. */
export function listeningInodes(table: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    const local = columns[1];
    if (!local || columns[3] !== LISTEN) continue;
    if (local.slice(local.lastIndexOf(':') + 1) === hexPort && columns[9] && columns[9] !== '0')
      inodes.push(columns[9]);
  }
  return inodes;
}

/** Finds the process listening on `port` under `procRoot` (default `/proc`), or null. */
export async function findPortOwner(
  port: number,
  options: { procRoot?: string; platform?: string } = {},
): Promise<PortOwner | null> {
  if ((options.platform ?? process.platform) !== 'linux') return null;
  const proc = options.procRoot ?? '/proc';
  const tables = await Promise.all(
    ['tcp', 'tcp6'].map((name) => readFile(path.join(proc, 'net', name), 'utf8').catch(() => '')),
  );
  const wanted = new Set(tables.flatMap((table) => listeningInodes(table, port)).map((inode) => `socket:[${inode}]`));
  if (wanted.size === 0) return null;
  const pids = (await readdir(proc).catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const fdDir = path.join(proc, pid, 'fd');
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(path.join(fdDir, fd)).catch(() => '');
      if (!wanted.has(target)) continue;
      const name = (await readFile(path.join(proc, pid, 'comm'), 'utf8').catch(() => '')).trim();
      return { pid: Number(pid), name: name || 'an unnamed program' };
    }
  }
  return null;
}
