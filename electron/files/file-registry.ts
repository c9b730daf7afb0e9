/**
 * File ids: the renderer never handles paths (ARCHITECTURE.md section 3). Main registers each
 * file the person gave it (a drop through the preload, its own file dialog, `--compose
 * --attach`, a tray drop, a restored draft) and hands the renderer an opaque id: 128 random
 * bits, base64url, kept in memory for this run only. `mail:send`, drafts and `files:describe`
 * take ids, so a compromised renderer can name only files the person already gave.
 *
 * When an id expires: it lives while something refers to it, plus a short grace period after
 * it was handed out (the renderer needs a moment to put it in its draft). What refers to an id
 * is a holder's current list: each window's saved draft holds the ids in it (`hold`). A queued
 * message needs none: `mail:send` copies its attachments into the outbox at once. So an id
 * dies once no draft holds it and its grace period is over; an unknown or dead id is refused
 * with the same answer, so a guess learns nothing.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../shared/errors';

/** Stable codes of file ids. */
export const fileErrors = {
  unknownFile: 'files.unknown_file',
} as const;

/** Ten minutes: long enough for a slow window to take a file into its draft. */
export const DEFAULT_GRACE_MS = 10 * 60_000;
/** Ids kept at most; beyond it the oldest ones nothing holds go first. */
export const MAX_FILE_IDS = 5000;

export type FileRegistryOptions = {
  clock: { now(): number };
  graceMs?: number;
  maxEntries?: number;
};

export type FileRegistry = {
  /**
   * The id for a file main got from the person. A path that already has a live id gets that
   * same id (so the same file dropped twice is attached once), with a fresh grace period.
   */
  register(file: string): string;
  /** The path behind a live id, or null for an unknown, expired or malformed one. */
  resolve(fileId: string): string | null;
  /**
   * Paths for every id, in order; throws `files.unknown_file` naming the first unknown one.
   * `field` names the list in the error (`attachments` says "Attachment 2").
   */
  resolveAll(fileIds: readonly string[], field?: string): string[];
  /** `holder`'s current references (a window's draft); replaces what it held before. */
  hold(holder: string, fileIds: readonly string[]): void;
  /** Live ids (tests, diagnostics). */
  size(): number;
};

type Entry = { path: string; handedOutAt: number };

/** The error for an id main does not know (never gave out, expired, or from another run). */
export class UnknownFileError extends AppError {
  constructor(list: string, index: number) {
    const which = list === 'attachments' ? `Attachment ${index + 1}` : 'A file';
    super(fileErrors.unknownFile, `${which} is not one Quicksend was given, or it is no longer attached.`, {
      hint: 'Attach the file again: drop it on the window or use Attach….',
    });
    this.name = 'UnknownFileError';
  }
}

export function createFileRegistry(options: FileRegistryOptions): FileRegistry {
  const graceMs = Math.max(0, options.graceMs ?? DEFAULT_GRACE_MS);
  const maxEntries = options.maxEntries ?? MAX_FILE_IDS;
  const entries = new Map<string, Entry>();
  const byPath = new Map<string, string>();
  const holders = new Map<string, Set<string>>();

  const held = (id: string) => [...holders.values()].some((ids) => ids.has(id));
  const alive = (id: string, entry: Entry, now: number) => now - entry.handedOutAt < graceMs || held(id);

  function forget(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    if (byPath.get(entry.path) === id) byPath.delete(entry.path);
  }

  function sweep(): void {
    const now = options.clock.now();
    for (const [id, entry] of entries) if (!alive(id, entry, now)) forget(id);
    // A flood of registrations (thousands of files dropped) cannot grow memory without bound.
    if (entries.size <= maxEntries) return;
    for (const [id] of [...entries].filter(([key]) => !held(key)).sort((a, b) => a[1].handedOutAt - b[1].handedOutAt)) {
      if (entries.size <= maxEntries) break;
      forget(id);
    }
  }

  const registry: FileRegistry = {
    register(file) {
      sweep();
      const now = options.clock.now();
      const known = byPath.get(file);
      if (known) {
        entries.get(known)!.handedOutAt = now;
        return known;
      }
      let id: string;
      do id = randomBytes(16).toString('base64url');
      while (entries.has(id));
      entries.set(id, { path: file, handedOutAt: now });
      byPath.set(file, id);
      sweep();
      return id;
    },
    resolve(fileId) {
      sweep();
      return entries.get(fileId)?.path ?? null;
    },
    resolveAll(fileIds, field = 'attachments') {
      return fileIds.map((id, index) => {
        const file = registry.resolve(id);
        if (file === null) throw new UnknownFileError(field, index);
        return file;
      });
    },
    hold(holder, fileIds) {
      // Only live ids can be held: holding cannot bring a dead id back.
      sweep();
      const ids = new Set(fileIds.filter((id) => entries.has(id)));
      if (ids.size > 0) holders.set(holder, ids);
      else holders.delete(holder);
      sweep();
    },
    size() {
      sweep();
      return entries.size;
    },
  };
  return registry;
}
