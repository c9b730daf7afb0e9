/**
 * fsync of one folder, shared: a rename is durable once its folder is fsynced, and every rename
 * made while one fsync runs is covered by the next one, so many messages arriving or leaving at
 * once cost one folder fsync per round instead of one each.
 */
import { fsyncDirectory } from '../shared/atomic-file';

/** Returns `sync()`: resolves once an fsync of `dir` that started after the call has finished. */
export function createFolderSync(dir: string): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  return function sync(): Promise<void> {
    if (queued) return queued;
    if (!running) {
      running = fsyncDirectory(dir).finally(() => (running = null));
      return running;
    }
    // The running fsync may have started before the caller's rename: wait for the next one.
    queued = running.then(() => {
      queued = null;
      return sync();
    });
    return queued;
  };
}
