// Code-signing settings in electron-builder.yml, checked offline. Nothing can be signed here
// (no certificates, no macOS or Windows machine), so this checks what a release machine will
// be given: hardened runtime with a minimal entitlements file that parses the way
// @electron/osx-sign parses it, notarization on, Windows signtool settings, and no credential
// in the repository: every secret comes from the environment (SIGNING_ENVIRONMENT).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import type { Configuration } from 'electron-builder';
import plist from 'plist';

/** The one entitlements file, for the app and (inherited) for Electron's helpers and frameworks. */
export const ENTITLEMENTS_FILE = 'build/entitlements.mac.plist';

/**
 * What the hardened runtime must allow for Electron 12+: V8 compiles JavaScript at run time.
 * @electron/notarize's README: allow-jit only; allow-unsigned-executable-memory is for
 * Electron 11 and below and "increases your app's attack surface" on 12+.
 */
export const REQUIRED_ENTITLEMENTS: Readonly<Record<string, boolean>> = Object.freeze({
  'com.apple.security.cs.allow-jit': true,
});

/**
 * Entitlements that weaken the hardened runtime and that Quicksend does not need (it ships no
 * native modules, loads no third-party code, is never debugged in a release). Listed so a
 * test names the reason when one creeps in.
 */
export const WEAKENING_ENTITLEMENTS: ReadonlyArray<readonly [string, string]> = [
  ['com.apple.security.cs.allow-unsigned-executable-memory', 'only Electron 11 and below need it'],
  [
    'com.apple.security.cs.disable-library-validation',
    'only for ad-hoc signing or third-party native modules; we ship none',
  ],
  ['com.apple.security.cs.disable-executable-page-protection', 'a superset of unsigned executable memory'],
  ['com.apple.security.cs.allow-dyld-environment-variables', 'lets DYLD_* variables inject code'],
  ['com.apple.security.get-task-allow', 'debugging only; notarization rejects it'],
];

/**
 * The environment a release machine sets; electron-builder 26 reads each of these itself
 * (app-builder-lib's platformPackager, winPackager and mac/MacTargetHelper). None has a value
 * anywhere in this repository.
 */
export const SIGNING_ENVIRONMENT = {
  /** Developer ID Application certificate (.p12, base64 or path) and its password; CSC_NAME picks one from the keychain instead. */
  mac: ['CSC_LINK', 'CSC_KEY_PASSWORD'],
  /** Notarization with an App Store Connect API key (recommended by electron-builder). */
  notarizeApiKey: ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
  /** ...or with an Apple ID and an app-specific password. */
  notarizeAppleId: ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
  /** Windows code-signing certificate (.pfx) and password; CSC_LINK/CSC_KEY_PASSWORD are the fallback. */
  win: ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD'],
} as const;

/** Config keys that would hold a credential or pin a signing identity; they must come from the environment. */
const CREDENTIAL_KEYS = new Set([
  'cscLink',
  'cscKeyPassword',
  'cscInstallerLink',
  'cscInstallerKeyPassword',
  'certificateFile',
  'certificatePassword',
  'certificateSha1',
  'certificateSubjectName',
  'identity',
  'keychain',
  'provisioningProfile',
]);

/**
 * Reads an entitlements plist strictly: well-formed XML (xmldom reports a slip as a warning
 * and carries on, so every report is an error here), a `<plist>` holding one `<dict>`, then
 * `plist.parse`, the parser @electron/osx-sign itself reads entitlements with. Entitlements
 * of the hardened runtime are booleans, so anything else is refused too.
 */
export function parseEntitlements(xml: string): Record<string, boolean> {
  const reports: string[] = [];
  const report = (message: unknown) => reports.push(String(message).split('\n')[0]!.trim());
  const doc = new DOMParser({ errorHandler: { warning: report, error: report, fatalError: report } }).parseFromString(
    xml,
    'text/xml',
  );
  if (reports.length > 0) throw new Error(`entitlements are not well-formed XML: ${reports.join('; ')}`);
  const root = doc.documentElement;
  const children = root ? Array.from(root.childNodes).filter((node) => node.nodeType === 1) : [];
  if (root?.nodeName !== 'plist' || children.length !== 1 || children[0]!.nodeName !== 'dict') {
    throw new Error('entitlements must be a <plist> holding exactly one <dict>');
  }
  const value = plist.parse(xml) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('entitlements must be a dictionary');
  const entries = Object.entries(value);
  const notBoolean = entries.filter(([, v]) => typeof v !== 'boolean').map(([key]) => key);
  if (notBoolean.length > 0)
    throw new Error(`entitlements must be <true/> or <false/>; not so: ${notBoolean.join(', ')}`);
  return Object.fromEntries(entries) as Record<string, boolean>;
}

export async function readEntitlements(file: string): Promise<Record<string, boolean>> {
  return parseEntitlements(await readFile(file, 'utf8'));
}

/** Problems with one entitlements file: missing required ones, anything beyond them, named weakenings. */
export function entitlementProblems(entitlements: Record<string, boolean>, label: string): string[] {
  const problems: string[] = [];
  for (const [key, want] of Object.entries(REQUIRED_ENTITLEMENTS)) {
    if (entitlements[key] !== want) problems.push(`${label}: ${key} must be ${String(want)}`);
  }
  const reasons = new Map(WEAKENING_ENTITLEMENTS);
  for (const key of Object.keys(entitlements)) {
    if (key in REQUIRED_ENTITLEMENTS) continue;
    problems.push(`${label}: ${key} is not needed${reasons.has(key) ? ` (${reasons.get(key)!})` : ''}`);
  }
  return problems;
}

/** Paths (a.b.c) of every credential-like key with a value anywhere in the configuration. */
export function credentialKeysIn(config: unknown, at = 'configuration'): string[] {
  if (typeof config !== 'object' || config === null) return [];
  return Object.entries(config).flatMap(([key, value]) => [
    ...(CREDENTIAL_KEYS.has(key) && value !== undefined ? [`${at}.${key}`] : []),
    ...credentialKeysIn(value, `${at}.${key}`),
  ]);
}

/** Everything a release machine would trip on in the signing settings, as plain sentences. */
export async function signingProblems(config: Configuration, projectDir: string): Promise<string[]> {
  const problems: string[] = [];
  const mac = config.mac ?? {};
  if (mac.hardenedRuntime !== true)
    problems.push('mac.hardenedRuntime must be true (notarization requires the hardened runtime)');
  if (mac.notarize !== true)
    problems.push('mac.notarize must be true (credentials come from APPLE_* environment variables)');
  if (mac.forceCodeSigning !== true)
    problems.push('mac.forceCodeSigning must be true (an unsigned dmg must fail the build, not ship)');
  for (const key of ['entitlements', 'entitlementsInherit'] as const) {
    const file = mac[key];
    if (file !== ENTITLEMENTS_FILE) {
      problems.push(`mac.${key} must be ${ENTITLEMENTS_FILE}, is ${String(file)}`);
      continue;
    }
    const absolute = path.join(projectDir, file);
    if (!existsSync(absolute)) {
      problems.push(`mac.${key}: ${file} does not exist`);
      continue;
    }
    try {
      problems.push(...entitlementProblems(await readEntitlements(absolute), `mac.${key} (${file})`));
    } catch (error) {
      problems.push(`mac.${key} (${file}): ${(error as Error).message}`);
    }
  }
  const win = config.win ?? {};
  if (win.forceCodeSigning !== true)
    problems.push('win.forceCodeSigning must be true (an unsigned installer must fail the build, not ship)');
  const hashes = win.signtoolOptions?.signingHashAlgorithms;
  if (!Array.isArray(hashes) || hashes.length !== 1 || hashes[0] !== 'sha256') {
    problems.push('win.signtoolOptions.signingHashAlgorithms must be [sha256] (SHA-1 signatures are deprecated)');
  }
  if (win.azureSignOptions != null)
    problems.push('win.azureSignOptions is set: electron-builder would use it instead of signtoolOptions');
  for (const found of credentialKeysIn(config))
    problems.push(`${found} is set in the repository: credentials and identities come from the environment`);
  return problems;
}
