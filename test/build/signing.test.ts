// Code-signing settings, checked offline (nothing can be signed here): the settings a release
// machine needs are in electron-builder.yml and pass the builder's own schema, a slip in a
// signing key fails that schema, the entitlements file parses strictly and holds only what
// Electron needs, no credential lives in the repository, and the README says what a release needs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { loadBuilderConfig, REPO_ROOT, validateBuilderConfig } from '../support/builder/check-builder';
import {
  credentialKeysIn,
  ENTITLEMENTS_FILE,
  entitlementProblems,
  parseEntitlements,
  readEntitlements,
  SIGNING_ENVIRONMENT,
  signingProblems,
  WEAKENING_ENTITLEMENTS,
} from '../support/builder/signing';

const PLIST_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n';
const plistOf = (body: string) => `${PLIST_HEAD}<plist version="1.0">${body}</plist>\n`;

describe('signing settings in electron-builder.yml', () => {
  it('macOS: hardened runtime, entitlements under build/, notarization, signing forced', async () => {
    const { mac } = await loadBuilderConfig();
    expect(mac).toMatchObject({
      hardenedRuntime: true,
      entitlements: ENTITLEMENTS_FILE,
      entitlementsInherit: ENTITLEMENTS_FILE,
      notarize: true,
      forceCodeSigning: true,
    });
  });

  it('Windows: signtool with SHA-256 only and a timestamp, signing forced, no Azure settings beside it', async () => {
    const { win } = await loadBuilderConfig();
    expect(win?.forceCodeSigning).toBe(true);
    expect(win?.signtoolOptions).toEqual({
      signingHashAlgorithms: ['sha256'],
      rfc3161TimeStampServer: 'http://timestamp.digicert.com',
    });
    expect(win?.azureSignOptions).toBeUndefined();
  });

  it('Linux: nothing to sign (AppImage and deb carry no signature from electron-builder)', async () => {
    const { linux } = await loadBuilderConfig();
    expect(Object.keys(linux ?? {}).filter((key) => /csc|sign|certificate/i.test(key))).toEqual([]);
  });

  it('holds no credential or signing identity: each comes from the environment', async () => {
    expect(credentialKeysIn(await loadBuilderConfig())).toEqual([]);
    const yml = await readFile(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
    // A variable may be named in a comment, never given a value.
    const all = Object.values(SIGNING_ENVIRONMENT).flat();
    expect(yml.split('\n').filter((line) => all.some((name) => new RegExp(`^\\s*${name}\\s*[:=]`).test(line)))).toEqual(
      [],
    );
  });

  it('passes the signing checks `npm run check:builder` reports', async () => {
    expect(await signingProblems(await loadBuilderConfig(), REPO_ROOT)).toEqual([]);
  });

  it('the checks catch a credential, a missing entitlements file and signing left optional', async () => {
    const loaded = await loadBuilderConfig();
    const bad = {
      ...loaded,
      mac: {
        ...loaded.mac,
        cscKeyPassword: 'hunter2',
        entitlementsInherit: 'build/missing.plist',
        forceCodeSigning: false,
      },
      win: {
        ...loaded.win,
        signtoolOptions: { certificatePassword: 'hunter2', signingHashAlgorithms: ['sha1', 'sha256'] },
      },
    } as Configuration;
    const problems = await signingProblems(bad, REPO_ROOT);
    expect(problems).toEqual(
      expect.arrayContaining([
        'mac.forceCodeSigning must be true (an unsigned dmg must fail the build, not ship)',
        `mac.entitlementsInherit must be ${ENTITLEMENTS_FILE}, is build/missing.plist`,
        'win.signtoolOptions.signingHashAlgorithms must be [sha256] (SHA-1 signatures are deprecated)',
        'configuration.mac.cscKeyPassword is set in the repository: credentials and identities come from the environment',
        'configuration.win.signtoolOptions.certificatePassword is set in the repository: credentials and identities come from the environment',
      ]),
    );
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});

describe("the signing keys are covered by electron-builder's schema", () => {
  it('accepts the settings as they are', async () => {
    await expect(validateBuilderConfig(await loadBuilderConfig())).resolves.toBeUndefined();
  });

  it.each([
    ['mac', { hardenedRuntme: true }],
    ['mac', { notarise: true }],
    ['mac', { entitlement: ENTITLEMENTS_FILE }],
    ['win', { signToolOptions: { signingHashAlgorithms: ['sha256'] } }],
  ] as const)('rejects a misspelt %s key %j', async (platform, extra) => {
    const loaded = await loadBuilderConfig();
    const config = { ...loaded, [platform]: { ...loaded[platform], ...extra } } as Configuration;
    await expect(validateBuilderConfig(config)).rejects.toThrow(new RegExp(`configuration\\.${platform}`));
  });

  it('rejects a misspelt key inside win.signtoolOptions and a hash it does not know', async () => {
    const loaded = await loadBuilderConfig();
    const typo = {
      ...loaded,
      win: { ...loaded.win, signtoolOptions: { ...loaded.win?.signtoolOptions, rfc3161TimestampServer: 'x' } },
    } as Configuration;
    await expect(validateBuilderConfig(typo)).rejects.toThrow(/configuration\.win/);
    const hash = {
      ...loaded,
      win: { ...loaded.win, signtoolOptions: { signingHashAlgorithms: ['md5'] } },
    } as unknown as Configuration;
    await expect(validateBuilderConfig(hash)).rejects.toThrow(/configuration\.win/);
  });

  it('rejects notarize given as credentials instead of a switch (electron-builder 26 reads APPLE_* from the environment)', async () => {
    const loaded = await loadBuilderConfig();
    const config = {
      ...loaded,
      mac: { ...loaded.mac, notarize: { teamId: 'ABCDE12345' } },
    } as unknown as Configuration;
    await expect(validateBuilderConfig(config)).rejects.toThrow(/configuration\.mac\.notarize/);
  });
});

describe(`entitlements (${ENTITLEMENTS_FILE})`, () => {
  it('parse to exactly what Electron needs under the hardened runtime: JIT for V8, nothing more', async () => {
    const entitlements = await readEntitlements(path.join(REPO_ROOT, ENTITLEMENTS_FILE));
    expect(entitlements).toEqual({ 'com.apple.security.cs.allow-jit': true });
    expect(entitlementProblems(entitlements, ENTITLEMENTS_FILE)).toEqual([]);
  });

  it('a weakening entitlement is reported with its reason', () => {
    const [key, reason] = WEAKENING_ENTITLEMENTS[0]!;
    expect(entitlementProblems({ 'com.apple.security.cs.allow-jit': true, [key]: true }, 'x')).toEqual([
      `x: ${key} is not needed (${reason})`,
    ]);
    expect(entitlementProblems({}, 'x')).toEqual(['x: com.apple.security.cs.allow-jit must be true']);
  });

  it('the reader refuses malformed XML that plist.parse alone would accept', () => {
    const good = plistOf('<dict><key>com.apple.security.cs.allow-jit</key><true/></dict>');
    expect(parseEntitlements(good)).toEqual({ 'com.apple.security.cs.allow-jit': true });
    expect(() => parseEntitlements(good.replace('</dict>', ''))).toThrow(/not well-formed XML/);
    expect(() => parseEntitlements(good.replace('<key>com', '<key>com<'))).toThrow(/not well-formed XML/);
    expect(() => parseEntitlements(`${good}<extra/>`)).toThrow(/not well-formed XML/);
  });

  it('the reader refuses anything but one dictionary of booleans', () => {
    expect(() => parseEntitlements(plistOf('<array><true/></array>'))).toThrow(/exactly one <dict>/);
    expect(() => parseEntitlements(plistOf('<dict/><dict/>'))).toThrow(/exactly one <dict>/);
    expect(() =>
      parseEntitlements(plistOf('<dict><key>com.apple.security.application-groups</key><string>x</string></dict>')),
    ).toThrow(/not so: com\.apple\.security\.application-groups/);
  });
});

describe('README: building section', () => {
  const section = async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('## Building installers');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = readme.indexOf('\n## ', start + 1);
    return readme.slice(start, end === -1 ? undefined : end);
  };

  it('says plainly that no build has been signed yet', async () => {
    expect(await section()).toMatch(/No build of Quicksend has been signed or notarized yet/);
  });

  it('names every environment variable a signed release needs', async () => {
    const text = await section();
    for (const name of Object.values(SIGNING_ENVIRONMENT).flat())
      expect(text, name).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('every variable named there is one electron-builder 26 really reads', async () => {
    const sources = path.join(REPO_ROOT, 'node_modules/app-builder-lib/out');
    const files = [
      'platformPackager.js',
      'winPackager.js',
      'mac/MacTargetHelper.js',
      'codeSign/windowsSignToolManager.js',
    ];
    const code = (await Promise.all(files.map((file) => readFile(path.join(sources, file), 'utf8')))).join('\n');
    for (const name of Object.values(SIGNING_ENVIRONMENT).flat()) {
      expect(code, name).toMatch(new RegExp(`process\\.env\\.${name}\\b|"${name}"`));
    }
  });
});
