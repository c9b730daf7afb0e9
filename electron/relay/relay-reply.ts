/**
 * An SMTP refusal as smtp-server takes it from a handler: an Error whose `responseCode` is
 * the reply code and whose message is the reply text (enhanced status code first).
 */
export class RelayReply extends Error {
  readonly responseCode: number;
  constructor(responseCode: number, message: string) {
    super(message);
    this.name = 'RelayReply';
    this.responseCode = responseCode;
  }
}

/** Formats a size for a reply in plain words (`25 MB`). */
export function megabytes(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))} MB`;
}
