/**
 * The kernel's resident-memory high-water mark (Linux): read from /proc/self/status, reset
 * through /proc/self/clear_refs after a baseline so the next read is the peak since then.
 * Elsewhere both answer "not available" and the callers fall back to RSS samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** VmHWM in bytes, or null where the kernel does not say. */
export function vmHwmBytes(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resets VmHWM to the current RSS; false where that is not possible. */
export function resetHwm(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
