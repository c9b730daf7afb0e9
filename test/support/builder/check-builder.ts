// `npm run check:builder`: checks electron-builder.yml offline (TOOLCHAIN.md pitfall 6).
//   1. validates the config with electron-builder's own JSON schema (validateConfiguration);
//   2. packs `--linux dir` against a stand-in Electron that carries the fuse sentinel;
//   3. reads back what shipped: files in app.asar, production dependencies, the fuse wire;
//   4. checks the signing settings (signing.ts): entitlements parse, no credential in the repo.
// Exits non-zero on any problem. test/build/builder.test.ts reuses these functions.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { Arch, build, Platform, type Configuration, type LinuxPackager } from 'electron-builder';
import { ENTITLEMENTS_FILE, readEntitlements, SIGNING_ENVIRONMENT, signingProblems } from './signing';
import { createStandInElectron } from './stand-in-electron';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** What `npm run build` must have produced before anything can be packed. */
export const BUILD_OUTPUTS = ['dist/main/main.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html'] as const;

/** The fuse states our electron-builder.yml asks for (FuseV1Options index -> enabled?). */
export const EXPECTED_FUSES: ReadonlyArray<readonly [keyof typeof FuseV1Options, boolean]> = [
  ['RunAsNode', false],
  ['EnableNodeOptionsEnvironmentVariable', false],
  ['EnableNodeCliInspectArguments', false],
  ['OnlyLoadAppFromAsar', true],
  ['EnableEmbeddedAsarIntegrityValidation', true],
  ['EnableCookieEncryption', true],
  ['GrantFileProtocolExtraPrivileges', false],
];

/** Bytes @electron/fuses writes for a fuse (its FuseState, not exported from the package index). */
export const FUSE_ENABLED = '1'.charCodeAt(0);
export const FUSE_DISABLED = '0'.charCodeAt(0);

export function assertBuilt(projectDir: string = REPO_ROOT): void {
  const missing = BUILD_OUTPUTS.filter((file) => !existsSync(path.join(projectDir, file)));
  if (missing.length > 0) {
    throw new Error(`Build output missing (${missing.join(', ')}): run \`npm run build\` first.`);
  }
}

/** Loads electron-builder.yml the way the builder does (same loader, `extends` resolved). */
export async function loadBuilderConfig(projectDir: string = REPO_ROOT): Promise<Configuration> {
  return getConfig(projectDir, null, null);
}

/** Validates a configuration with electron-builder's own schema; throws InvalidConfigurationError. */
export async function validateBuilderConfig(config: Configuration): Promise<void> {
  await validateConfiguration(config, new DebugLogger(false));
}

export interface PackResult {
  /** The unpacked app folder (release/linux-unpacked for x64). */
  appDir: string;
  /** resources/app.asar inside appDir. */
  asarPath: string;
  /** The packed, fuse-flipped executable (the renamed stand-in `electron`). */
  binaryPath: string;
}

/**
 * Packs `--linux dir` into `outDir` against a stand-in Electron (created in `outDir`), without
 * downloading anything. `projectDir` defaults to this repository and must hold a built `dist/`.
 */
export async function packLinuxDir(outDir: string, options: { projectDir?: string } = {}): Promise<PackResult> {
  const projectDir = options.projectDir ?? REPO_ROOT;
  assertBuilt(projectDir);
  const electronDist = await createStandInElectron(outDir);
  let appOutDir: string | undefined;
  let executableName: string | undefined;
  await build({
    projectDir,
    targets: Platform.LINUX.createTarget('dir', Arch[process.arch as keyof typeof Arch] ?? Arch.x64),
    publish: 'never',
    // Merged over electron-builder.yml by the builder.
    config: {
      electronDist,
      directories: { output: path.join(outDir, 'release') },
      afterPack: async (context) => {
        appOutDir = context.appOutDir;
        // linux.executableName: the builder renames the stand-in `electron` to it.
        executableName = (context.packager as LinuxPackager).executableName;
      },
    },
  });
  if (appOutDir === undefined || executableName === undefined)
    throw new Error('electron-builder did not pack anything');
  return {
    appDir: appOutDir,
    asarPath: path.join(appOutDir, 'resources', 'app.asar'),
    binaryPath: path.join(appOutDir, executableName),
  };
}

/** Paths inside app.asar, without the leading slash, files and folders. */
export function listAsar(asarPath: string): string[] {
  return listPackage(asarPath, { isPack: false }).map((entry) => entry.replace(/\\/g, '/').replace(/^\//, ''));
}

/** Names of packages installed at the top of node_modules/ and nested node_modules/ in the listing. */
export function shippedPackages(entries: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(entry);
    // A scope folder (`node_modules/@peculiar`) is not a package; its children are.
    if (match && !match[1]!.startsWith('.') && !/^@[^/]+$/.test(match[1]!)) names.add(match[1]!);
  }
  return names;
}

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

async function readPackageJson(dir: string): Promise<PackageJson> {
  return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Node's lookup: the folder of package `name` as required from `fromDir`. */
function resolvePackageDir(name: string, fromDir: string, rootDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === rootDir || path.dirname(dir) === dir) return undefined;
  }
}

/** Every package reachable from package.json "dependencies" (and their dependencies) in node_modules. */
export async function productionClosure(projectDir: string = REPO_ROOT): Promise<Set<string>> {
  const root = await readPackageJson(projectDir);
  const seen = new Set<string>();
  const visited = new Set<string>();
  const queue: Array<[string, string]> = Object.keys(root.dependencies ?? {}).map((name) => [name, projectDir]);
  while (queue.length > 0) {
    const [name, from] = queue.pop()!;
    const dir = resolvePackageDir(name, from, projectDir);
    if (dir === undefined || visited.has(dir)) continue;
    visited.add(dir);
    seen.add(name);
    const pkg = await readPackageJson(dir);
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) queue.push([dep, dir]);
  }
  return seen;
}

const FORBIDDEN_PATH_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?:^|\/)(?:test|tests|__tests__|fixtures?)(?:\/|$)/i, 'test or fixture folder'],
  [/^(?:electron|renderer|test|bench)\//, 'source folder outside dist/'],
  [/(?<!\.d)\.tsx?$/, 'TypeScript source'],
  [/\.map$/, 'sourcemap'],
  [/(?:^|\/)\.env(?:\.[^/]*)?$/, 'secret-looking file (.env)'],
  [/\.(?:pem|key|p12|pfx|crt)$/i, 'secret-looking file (key or certificate)'],
  [/(?:^|\/)(?:id_rsa|id_ed25519|\.npmrc|credentials(?:\.json)?)$/i, 'secret-looking file'],
];

export interface AsarReport {
  files: string[];
  shipped: Set<string>;
  problems: string[];
}

/** Checks app.asar holds the build and the production dependencies, and nothing else of ours. */
export async function inspectAsar(asarPath: string, projectDir: string = REPO_ROOT): Promise<AsarReport> {
  const entries = listAsar(asarPath);
  const problems: string[] = [];
  for (const required of [...BUILD_OUTPUTS, 'package.json']) {
    if (!entries.includes(required)) problems.push(`app.asar lacks ${required}`);
  }
  const pkg = await readPackageJson(projectDir);
  const shipped = shippedPackages(entries);
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (!shipped.has(dep)) problems.push(`production dependency ${dep} not shipped`);
  }
  const closure = await productionClosure(projectDir);
  for (const name of shipped) {
    if (!closure.has(name)) problems.push(`node_modules/${name} shipped but is not a production dependency`);
  }
  // A dependency of a dependency left out would only show at run time as "Cannot find module".
  for (const name of closure) {
    if (!shipped.has(name)) problems.push(`production dependency ${name} (transitive) not shipped`);
  }
  for (const dev of Object.keys(pkg.devDependencies ?? {})) {
    if (shipped.has(dev) && !closure.has(dev)) problems.push(`devDependency ${dev} shipped`);
  }
  for (const entry of entries) {
    for (const [pattern, what] of FORBIDDEN_PATH_PATTERNS) {
      if (pattern.test(entry)) problems.push(`${what} in app.asar: ${entry}`);
    }
  }
  return { files: entries, shipped, problems };
}

/** The fuse wire read back from the packed binary, as name -> 'enabled' | 'disabled' | other byte. */
export async function readFuses(binaryPath: string): Promise<Map<string, string>> {
  const wire = (await getCurrentFuseWire(binaryPath)) as unknown as Record<number, number>;
  const fuses = new Map<string, string>();
  for (const [name, index] of Object.entries(FuseV1Options)) {
    if (typeof index !== 'number') continue;
    const state = wire[index];
    fuses.set(
      name,
      state === FUSE_ENABLED ? 'enabled' : state === FUSE_DISABLED ? 'disabled' : `byte ${String(state)}`,
    );
  }
  return fuses;
}

/** Things a real deb build would stop on that the offline `dir` pack cannot notice. */
export async function debPrerequisiteWarnings(projectDir: string = REPO_ROOT): Promise<string[]> {
  const pkg = (await readPackageJson(projectDir)) as PackageJson & { homepage?: string; author?: unknown };
  const config = await loadBuilderConfig(projectDir);
  const warnings: string[] = [];
  if (!pkg.homepage) warnings.push('package.json has no "homepage" (deb/rpm targets require a project URL)');
  const authorHasEmail =
    (typeof pkg.author === 'string' && /<[^>]+@[^>]+>/.test(pkg.author)) ||
    (typeof pkg.author === 'object' && pkg.author !== null && 'email' in pkg.author);
  if (!authorHasEmail && !config.deb?.maintainer) {
    warnings.push(
      'package.json author has no email and deb.maintainer is unset (the deb target requires a maintainer)',
    );
  }
  return warnings;
}

async function main(): Promise<number> {
  const problems: string[] = [];
  const started = performance.now();
  const config = await loadBuilderConfig();
  try {
    await validateBuilderConfig(config);
    console.log(
      `config: electron-builder.yml passes electron-builder's schema (${Math.round(performance.now() - started)} ms)`,
    );
  } catch (error) {
    problems.push(`config invalid: ${(error as Error).message}`);
  }
  const signing = await signingProblems(config, REPO_ROOT);
  problems.push(...signing);
  if (signing.length === 0) {
    const keys = Object.keys(await readEntitlements(path.join(REPO_ROOT, ENTITLEMENTS_FILE))).join(', ');
    console.log(
      `signing: settings in place, nothing signed here\n` +
        `  mac: hardened runtime, ${ENTITLEMENTS_FILE} (${keys}), notarize; needs ${[...SIGNING_ENVIRONMENT.mac, ...SIGNING_ENVIRONMENT.notarizeApiKey].join(', ')}\n` +
        `  win: signtool, sha256; needs ${SIGNING_ENVIRONMENT.win.join(', ')}\n` +
        `  linux: nothing to sign (AppImage, deb)`,
    );
  }

  const outDir = await mkdtemp(path.join(tmpdir(), 'quicksend-pack-'));
  try {
    const packStarted = performance.now();
    const packed = await packLinuxDir(outDir);
    console.log(`pack: --linux dir in ${((performance.now() - packStarted) / 1000).toFixed(1)} s -> ${packed.appDir}`);

    const asar = await inspectAsar(packed.asarPath);
    const ours = asar.files.filter(
      (entry) => !entry.startsWith('node_modules') && !asar.files.some((e) => e.startsWith(`${entry}/`)),
    );
    console.log(`app.asar: ${asar.files.length} entries; ours:\n  ${ours.join('\n  ')}`);
    const direct = Object.keys((await readPackageJson(REPO_ROOT)).dependencies ?? {});
    const transitive = [...asar.shipped].filter((name) => !direct.includes(name)).sort();
    console.log(
      `production deps shipped: ${direct.join(', ')}${transitive.length ? ` + ${transitive.length} transitive (${transitive.join(', ')})` : ''}`,
    );
    problems.push(...asar.problems);

    const fuses = await readFuses(packed.binaryPath);
    console.log(`fuses read back from ${path.basename(packed.binaryPath)}:`);
    for (const [name, state] of fuses) console.log(`  ${name}: ${state}`);
    for (const [name, enabled] of EXPECTED_FUSES) {
      const want = enabled ? 'enabled' : 'disabled';
      if (fuses.get(name) !== want) problems.push(`fuse ${name} is ${fuses.get(name) ?? 'missing'}, want ${want}`);
    }

    const resources = path.join(packed.appDir, 'resources', 'tray');
    for (const icon of ['trayTemplate.png', 'trayTemplate@2x.png', 'tray-light.png', 'tray-dark.png']) {
      if (!existsSync(path.join(resources, icon))) problems.push(`tray icon resources/tray/${icon} not packed`);
    }
  } catch (error) {
    problems.push(`pack failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }

  for (const warning of await debPrerequisiteWarnings()) console.log(`warning: ${warning}`);
  if (problems.length > 0) {
    console.error(`\ncheck:builder FAILED (${problems.length}):\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log(`\ncheck:builder OK in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main();
}
