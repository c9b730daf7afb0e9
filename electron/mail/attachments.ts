/**
 * The attachment policy: only regular files that can be opened are attached (missing files,
 * folders, devices, sockets and FIFOs are refused by name), at most `maxCount` of them, and the
 * whole message as it will travel (message-rules.ts: base64 adds a third, plus line breaks) must
 * fit the provider's limit before anything is queued. Files are opened and streamed, never read
 * whole.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FieldError } from './message';
import { encodedMessageSize, formatBytes } from './message-rules';

/** Stable codes of the attachment policy. */
export const attachmentErrors = {
  missing: 'mail.attachment_missing',
  notAFile: 'mail.attachment_not_a_file',
  unreadable: 'mail.attachment_unreadable',
  tooMany: 'mail.too_many_attachments',
  tooLarge: 'mail.message_too_large',
} as const;

/** An attachment that passed the policy. */
export type InspectedAttachment = { path: string; name: string; sizeBytes: number };

export type AttachmentLimits = {
  /** `MESSAGE_LIMITS.maxAttachments` in the app; tests shrink it. */
  maxCount: number;
  /** The account's largest message after encoding (`SendingAccount.attachmentLimitBytes`). */
  limitBytes: number;
};

/**
 * Opens `file` for reading if it is a regular file; the checks run on the open handle, so a
 * path swapped for something else after a check cannot slip through. O_NONBLOCK keeps a FIFO
 * from blocking the open; it does not change reads from a regular file.
 */
export async function openRegularFile(file: string, field: string): Promise<{ handle: FileHandle; sizeBytes: number }> {
  const name = path.basename(file);
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new FieldError(
        attachmentErrors.missing,
        field,
        `"${name}" no longer exists.`,
        'Attach the file again from where it is now.',
      );
    if (code === 'EISDIR') throw notAFile(field, name, 'a folder');
    if (code === 'ENXIO') throw notAFile(field, name, 'a special file (device, socket or pipe)'); // a Unix socket
    throw new FieldError(
      attachmentErrors.unreadable,
      field,
      `"${name}" cannot be read (${code ?? 'error'}).`,
      'Check that you may open the file, then attach it again.',
    );
  }
  const stats = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!stats.isFile()) {
    await handle.close();
    throw notAFile(field, name, stats.isDirectory() ? 'a folder' : 'a special file (device, socket or pipe)');
  }
  return { handle, sizeBytes: stats.size };
}

function notAFile(field: string, name: string, what: string): FieldError {
  return new FieldError(
    attachmentErrors.notAFile,
    field,
    `"${name}" is ${what}, not a file.`,
    'Attach files only; to send a folder, compress it first.',
  );
}

/**
 * Checks every attachment and the encoded size of the whole message (its `text` included)
 * against `limits`.
 * Throws a FieldError naming the first attachment that fails.
 */
export async function inspectAttachments(
  paths: string[],
  text: string,
  limits: AttachmentLimits,
): Promise<InspectedAttachment[]> {
  if (paths.length > limits.maxCount) {
    throw new FieldError(
      attachmentErrors.tooMany,
      'attachments',
      `${paths.length} files are attached; Quicksend sends at most ${limits.maxCount} per message.`,
      'Send the rest in another message or compress them into one file.',
    );
  }
  const inspected: InspectedAttachment[] = [];
  for (const [index, file] of paths.entries()) {
    const { handle, sizeBytes } = await openRegularFile(file, `attachments[${index}]`);
    await handle.close();
    inspected.push({ path: file, name: path.basename(file), sizeBytes });
  }
  const encoded = encodedMessageSize(
    text,
    inspected.map((a) => a.sizeBytes),
  );
  if (encoded > limits.limitBytes) {
    throw new FieldError(
      attachmentErrors.tooLarge,
      'attachments',
      `This message would be about ${formatBytes(encoded)} once encoded for sending; this account's provider accepts at most ${formatBytes(limits.limitBytes)}.`,
      'Remove an attachment, or share large files as a link.',
    );
  }
  return inspected;
}
