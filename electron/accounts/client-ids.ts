/**
 * Client ids baked in at build time. esbuild replaces `QUICKSEND_BUILD_CLIENT_IDS` with a JSON
 * object from the build environment (QUICKSEND_GOOGLE_CLIENT_ID, ...); the value lives only in
 * `dist/`, never in the repository. In plain Node (tests) nothing is baked in.
 */
declare const QUICKSEND_BUILD_CLIENT_IDS: Record<string, { clientId: string; clientSecret?: string }> | undefined;

export function buildClientIds(): Record<string, { clientId: string; clientSecret?: string }> {
  return typeof QUICKSEND_BUILD_CLIENT_IDS === 'undefined' ? {} : QUICKSEND_BUILD_CLIENT_IDS;
}
