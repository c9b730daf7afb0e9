// Which packages dist/main/main.js loads from node_modules at run time and which esbuild bundles
// into it. Shared by esbuild.config.mjs and bench/startup.ts, so the benchmark measures what ships.
//
// Bundled: what every start loads anyway. zod (the IPC contract and the stores) and
// electron-store with conf (the settings, read at start) are ESM and CommonJS spread over a
// few hundred files; loading them from node_modules costs a resolution, a file read and a
// module record each, which measured as the larger part of start-up (bench/RESULTS.md item 6).
// One bundled file avoids that. Everything else loads on first use (nodemailer on the first
// send, openid-client on the first sign-in or refresh, smtp-server when the relay is turned
// on) and stays external, so start-up never reads it at all.

/** Packages bundled into main.js (with what they import). */
export const bundledIntoMain = ['zod', 'electron-store', 'conf'];

/** esbuild `external` for main.js: every production dependency not bundled, and Electron. */
export function mainExternals(dependencies) {
  return [...Object.keys(dependencies).filter((name) => !bundledIntoMain.includes(name)), 'electron'];
}
