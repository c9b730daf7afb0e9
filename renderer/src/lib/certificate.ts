/** The largest certificate file read (main refuses anything over 16 kB with a clear message). */
export const MAX_CERTIFICATE_FILE_BYTES = 64 * 1024;

/**
 * A chosen certificate file as PEM text. PEM files pass as they are; a binary (DER) `.cer` or
 * `.crt`, as Windows exports them, is wrapped in PEM so main checks it the same way.
 */
export async function pemFromFile(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
