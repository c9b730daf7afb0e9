/**
 * The relay's view of a message while DATA arrives: bytes are counted as they pass (over the
 * account's limit the stream fails with 552 at once, so nothing oversized is stored), the header
 * block is held until its blank line (at most `maxHeaderBytes`), edited (relay/header-edit.ts)
 * and checked (From), and the body passes through untouched. Memory stays bounded by the
 * header limit plus stream buffers, whatever the message size.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { editHeaderBlock, headerEnd, type HeaderEditOptions, type HeaderEditResult } from './header-edit';
import { megabytes, RelayReply } from './relay-reply';

export type MessageStreamOptions = {
  /** The account's largest message: more bytes than this fail the stream with 552. */
  limitBytes: number;
  /** The longest header block held in memory (default 1 MiB). */
  maxHeaderBytes?: number;
  edit: HeaderEditOptions;
  /** Checks the edited From; a reply refuses the message (550 naming the allowed addresses). */
  checkFrom(addresses: string[]): RelayReply | null;
};

export type MessageStream = Transform & {
  /** Bytes received from the client so far (before edits). */
  readonly bytesIn: number;
  /** The header edit, once the header block was seen. */
  readonly edit: HeaderEditResult | null;
};

const DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;

/** Creates the counting, header-editing pass-through for one message. */
export function createMessageStream(options: MessageStreamOptions): MessageStream {
  const maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  let bytesIn = 0;
  let head: Buffer | null = Buffer.alloc(0);
  let edit: HeaderEditResult | null = null;

  // Edits and checks the held header block; returns false after failing the stream.
  const release = (stream: Transform, block: Buffer, rest: Buffer | null, callback: TransformCallback): void => {
    edit = editHeaderBlock(block, options.edit);
    const refused = options.checkFrom(edit.from);
    if (refused) return callback(refused);
    head = null;
    stream.push(edit.head);
    if (rest && rest.length > 0) stream.push(rest);
    callback();
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytesIn += chunk.length;
      if (bytesIn > options.limitBytes) {
        return callback(
          new RelayReply(
            552,
            `5.3.4 Message too big: this account takes messages up to ${megabytes(options.limitBytes)}`,
          ),
        );
      }
      if (head === null) return callback(null, chunk);
      const searchFrom = head.length;
      const held: Buffer = Buffer.concat([head, chunk]);
      const end = headerEnd(held, searchFrom);
      if (end >= 0) return release(this, held.subarray(0, end), held.subarray(end), callback);
      if (held.length > maxHeader) {
        return callback(
          new RelayReply(
            552,
            `5.3.4 Message header block too long: Quicksend takes at most ${Math.round(maxHeader / 1024)} kB of header fields`,
          ),
        );
      }
      head = held;
      callback();
    },
    flush(callback) {
      // A message without a blank line is all header (RFC 5322 allows no body).
      if (head !== null) return release(this, head, null, callback);
      callback();
    },
  }) as MessageStream;
  Object.defineProperty(stream, 'bytesIn', { get: () => bytesIn });
  Object.defineProperty(stream, 'edit', { get: () => edit });
  return stream;
}
