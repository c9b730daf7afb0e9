import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { writeFileAtomic } from '../../../../electron/shared/atomic-file';
import { tempDataDir } from '../../../support/node-ports';

test('replaces the file whole, owner-only, leaving no temp file', async () => {
  const dir = tempDataDir();
  const file = path.join(dir, 'sub', 'state.json');
  await writeFileAtomic(file, 'one');
  await writeFileAtomic(file, 'two');
  expect(readFileSync(file, 'utf8')).toBe('two');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(path.dirname(file))).toEqual(['state.json']);
});

test('a failed write leaves the old content and no temp file', async () => {
  const dir = tempDataDir();
  const file = path.join(dir, 'state.json');
  writeFileSync(file, 'old');
  // A folder where the target is makes the rename fail after the temp file was written.
  const blocked = path.join(dir, 'blocked');
  mkdirSync(blocked);
  writeFileSync(path.join(blocked, 'x'), 'x');
  await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
  expect(readFileSync(file, 'utf8')).toBe('old');
  expect(readdirSync(dir).sort()).toEqual(['blocked', 'state.json']);
});
