// electron-builder.yml, checked offline: the builder's own schema accepts it (and rejects a bad
// one), and a `--linux dir` pack against a stand-in Electron (TOOLCHAIN.md pitfall 6) ships the
// fuses and the app.asar contents we intend. Needs `npm run build` first (npm test does it).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  EXPECTED_FUSES,
  FUSE_DISABLED,
  FUSE_ENABLED,
  inspectAsar,
  listAsar,
  loadBuilderConfig,
  packLinuxDir,
  productionClosure,
  REPO_ROOT,
  shippedPackages,
  validateBuilderConfig,
  type PackResult,
} from '../support/builder/check-builder';
import { iconFiles, pngSize, staleIcons } from '../support/builder/make-icons';

const PACK_TIMEOUT_MS = 120_000;

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateBuilderConfig(await loadBuilderConfig())).resolves.toBeUndefined();
  });

  it('is rejected by the same validation when it has an unknown top-level key', async () => {
    const config = { ...(await loadBuilderConfig()), notAnOption: true } as Configuration;
    await expect(validateBuilderConfig(config)).rejects.toThrow(/notAnOption/);
  });

  it('is rejected when a fuse name is misspelt (the fuse block is schema-checked too)', async () => {
    const loaded = await loadBuilderConfig();
    const config = { ...loaded, electronFuses: { ...loaded.electronFuses, runAsNod: false } } as Configuration;
    // The schema's anyOf (object | null) hides the key's name; the path is still reported.
    await expect(validateBuilderConfig(config)).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('names the app, its targets, asar and the files that ship', async () => {
    const config = await loadBuilderConfig();
    expect(config.appId).toBe('app.quicksend.desktop');
    expect(config.productName).toBe('Quicksend');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    // The loader normalises `files` to [{ filter: [...] }].
    const patterns = [config.files ?? []]
      .flat()
      .flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry?.filter ?? []].flat()));
    expect(patterns).toEqual(expect.arrayContaining(['dist/**/*', 'package.json', '!**/*.map']));
    expect(patterns.filter((pattern) => !pattern.startsWith('!'))).toEqual(['dist/**/*', 'package.json']);
  });

  it('has every icon committed at its size, matching what make-icons.ts draws', async () => {
    for (const { file, size } of iconFiles()) {
      expect(existsSync(path.join(REPO_ROOT, file)), file).toBe(true);
      expect(pngSize(await readFile(path.join(REPO_ROOT, file))), file).toEqual({ width: size, height: size });
    }
    expect(await staleIcons()).toEqual([]);
  });
});

describe('--linux dir pack against a stand-in Electron', () => {
  let outDir: string;
  let packed: PackResult;
  let entries: string[];

  beforeAll(async () => {
    assertBuilt(); // "Build output missing (...): run `npm run build` first."
    outDir = await mkdtemp(path.join(tmpdir(), 'quicksend-pack-'));
    packed = await packLinuxDir(outDir);
    entries = listAsar(packed.asarPath);
  }, PACK_TIMEOUT_MS);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  describe('fuses read back from the packed binary', () => {
    it.each(EXPECTED_FUSES)('%s is %s', async (name, enabled) => {
      const wire = (await getCurrentFuseWire(packed.binaryPath)) as unknown as Record<number, number>;
      expect(wire[FuseV1Options[name]]).toBe(enabled ? FUSE_ENABLED : FUSE_DISABLED);
    });

    it('names every fuse the expectations cover', () => {
      expect(EXPECTED_FUSES.map(([name]) => name).sort()).toEqual(
        [
          'RunAsNode',
          'EnableNodeOptionsEnvironmentVariable',
          'EnableNodeCliInspectArguments',
          'OnlyLoadAppFromAsar',
          'EnableEmbeddedAsarIntegrityValidation',
          'EnableCookieEncryption',
          'GrantFileProtocolExtraPrivileges',
        ].sort(),
      );
    });
  });

  describe('app.asar', () => {
    it('holds main, preload, renderer and package.json', () => {
      for (const file of [
        'dist/main/main.js',
        'dist/preload/preload.cjs',
        'dist/renderer/index.html',
        'package.json',
      ]) {
        expect(entries).toContain(file);
      }
      expect(entries.some((entry) => entry.startsWith('dist/renderer/assets/'))).toBe(true);
    });

    it('holds the production dependencies and everything they depend on', async () => {
      const shipped = shippedPackages(entries);
      // conf is a development dependency (the Node test ports) but ships inside electron-store.
      for (const dep of ['conf', 'electron-store', 'nodemailer', 'openid-client', 'zod', 'smtp-server', 'selfsigned']) {
        expect(entries, dep).toContain(`node_modules/${dep}/package.json`);
      }
      for (const dep of await productionClosure()) expect(shipped.has(dep), `${dep} shipped`).toBe(true);
    });

    it('holds nothing outside dist/, package.json and node_modules/', () => {
      const topLevel = new Set(entries.map((entry) => entry.split('/')[0]));
      expect([...topLevel].sort()).toEqual(['dist', 'node_modules', 'package.json']);
    });

    it('holds no tests, fixtures, TypeScript sources or sourcemaps', () => {
      expect(entries.filter((entry) => /(?:^|\/)(?:test|tests|__tests__)\//.test(entry))).toEqual([]);
      expect(entries.filter((entry) => /fixtures/i.test(entry))).toEqual([]);
      expect(entries.filter((entry) => /^(?:electron|renderer\/src)\//.test(entry))).toEqual([]);
      expect(entries.filter((entry) => /\.(?:ts|tsx|mts|cts)$/.test(entry) && !/\.d\.[mc]?ts$/.test(entry))).toEqual(
        [],
      );
      expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
    });

    it('holds no devDependency', async () => {
      const shipped = shippedPackages(entries);
      for (const dev of [
        'vitest',
        'oidc-provider',
        'react',
        'react-dom',
        'electron',
        'electron-builder',
        'typescript',
        'vite',
        'esbuild',
        'mailparser',
      ]) {
        expect(shipped.has(dev), `${dev} shipped`).toBe(false);
      }
      const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
        devDependencies: Record<string, string>;
      };
      const closure = await productionClosure();
      const leaked = Object.keys(pkg.devDependencies).filter((dev) => shipped.has(dev) && !closure.has(dev));
      expect(leaked).toEqual([]);
    });

    it('holds no file whose name looks like a secret', () => {
      const names = entries.map((entry) => entry.split('/').pop()!);
      expect(names.filter((name) => /^\.env(?:\..*)?$/.test(name) || /\.(?:pem|key|p12|pfx)$/i.test(name))).toEqual([]);
    });

    it('passes the same inspection `npm run check:builder` reports', async () => {
      expect((await inspectAsar(packed.asarPath)).problems).toEqual([]);
    });
  });

  it('packs the tray icons as resources outside app.asar', () => {
    for (const icon of [
      'trayTemplate.png',
      'trayTemplate@2x.png',
      'tray-light.png',
      'tray-light@2x.png',
      'tray-dark.png',
      'tray-dark@2x.png',
    ]) {
      expect(existsSync(path.join(packed.appDir, 'resources', 'tray', icon)), icon).toBe(true);
    }
  });
});
