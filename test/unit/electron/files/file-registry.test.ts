import { describe, expect, test } from 'vitest';
import { createFileRegistry, DEFAULT_GRACE_MS } from '../../../../electron/files/file-registry';

function setup(options: { graceMs?: number; maxEntries?: number } = {}) {
  let now = 1_000_000;
  const registry = createFileRegistry({ clock: { now: () => now }, ...options });
  return { registry, advance: (ms: number) => void (now += ms) };
}

describe('file registry', () => {
  test('ids are 128 random bits in base64url, different for different files and for each run', () => {
    const { registry } = setup();
    const ids = Array.from({ length: 200 }, (_, i) => registry.register(`/home/ada/f${i}`));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(200);
    expect(setup().registry.register('/home/ada/f0')).not.toBe(ids[0]);
    expect(registry.resolve(ids[7]!)).toBe('/home/ada/f7');
  });

  test('unknown, malformed and prototype-named ids resolve to nothing', () => {
    const { registry } = setup();
    registry.register('/home/ada/a.txt');
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', '/home/ada/a.txt', '__proto__', 'constructor', ''])
      expect(registry.resolve(id)).toBeNull();
    expect(() => registry.resolveAll(['AAAAAAAAAAAAAAAAAAAAAA'])).toThrow(
      expect.objectContaining({
        code: 'files.unknown_file',
        message: 'Attachment 1 is not one Quicksend was given, or it is no longer attached.',
      }),
    );
  });

  test('an id nothing holds lives for the grace period after it was handed out, then never again', () => {
    const { registry, advance } = setup();
    const id = registry.register('/home/ada/a.txt');
    advance(DEFAULT_GRACE_MS - 1);
    expect(registry.resolve(id)).toBe('/home/ada/a.txt');
    advance(1);
    expect(registry.resolve(id)).toBeNull();
    // Giving the same file again makes a new id; the dead one stays dead.
    const again = registry.register('/home/ada/a.txt');
    expect(again).not.toBe(id);
    expect(registry.resolve(id)).toBeNull();
  });

  test('the same file given again while its id lives keeps that id and a fresh grace period', () => {
    const { registry, advance } = setup({ graceMs: 1000 });
    const id = registry.register('/home/ada/a.txt');
    advance(900);
    expect(registry.register('/home/ada/a.txt')).toBe(id);
    advance(900);
    expect(registry.resolve(id)).toBe('/home/ada/a.txt');
  });

  test("a holder's ids live as long as it holds them; releasing them ends them once the grace is over", () => {
    const { registry, advance } = setup({ graceMs: 1000 });
    const kept = registry.register('/home/ada/kept.txt');
    const other = registry.register('/home/ada/other.txt');
    registry.hold('draft:1', [kept]);
    registry.hold('draft:2', [other]);
    advance(60 * 60_000);
    expect(registry.resolve(kept)).toBe('/home/ada/kept.txt');
    // Window 1's draft changes: the id it dropped dies, window 2's lives on.
    registry.hold('draft:1', []);
    expect(registry.resolve(kept)).toBeNull();
    expect(registry.resolve(other)).toBe('/home/ada/other.txt');
  });

  test('holding cannot revive a dead id or adopt a guessed one', () => {
    const { registry, advance } = setup({ graceMs: 1000 });
    const id = registry.register('/home/ada/a.txt');
    advance(1000);
    registry.hold('draft:1', [id, 'AAAAAAAAAAAAAAAAAAAAAA']);
    expect(registry.resolve(id)).toBeNull();
    expect(registry.size()).toBe(0);
  });

  test('memory is bounded: beyond the limit the oldest ids nothing holds go first', () => {
    const { registry, advance } = setup({ maxEntries: 3 });
    const held = registry.register('/f/held');
    registry.hold('draft:1', [held]);
    const ids = ['/f/1', '/f/2', '/f/3', '/f/4'].map((file) => (advance(1), registry.register(file)));
    expect(registry.size()).toBe(3);
    expect(registry.resolve(held)).toBe('/f/held');
    expect(ids.map((id) => registry.resolve(id))).toEqual([null, null, '/f/3', '/f/4']);
  });
});
