/**
 * Attached files with their sizes, and a meter of the whole message's encoded size against
 * the account's limit (base64 makes files about a third bigger; electron/mail/message-rules.ts
 * counts it, for main's check too).
 */
import type { Attachment } from '../lib/compose';
import { Icon } from './Icon';
import { formatBytes } from '../../../electron/mail/message-rules';

type Props = {
  attachments: Attachment[];
  encodedSize: number;
  limitBytes: number | null;
  onRemove(fileId: string): void;
  error?: string | undefined;
  errorId: string;
};

export function AttachmentList({ attachments, encodedSize, limitBytes, onRemove, error, errorId }: Props) {
  if (!attachments.length && !error) return null;
  const ratio = limitBytes ? Math.min(1, encodedSize / limitBytes) : 0;
  const over = limitBytes !== null && encodedSize > limitBytes;
  return (
    <div className="attachments">
      <ul aria-label="Attachments">
        {attachments.map((file) => (
          <li key={file.fileId} className="attachment">
            <Icon name="file" />
            <span className="attachment-name" title={file.name}>
              {file.name}
            </span>
            <span className="muted attachment-size">{formatBytes(file.sizeBytes)}</span>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove attachment ${file.name}`}
              onClick={() => onRemove(file.fileId)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {attachments.length > 0 && (
        <div className="size-meter" data-over={over || undefined}>
          <div className="size-bar" aria-hidden="true">
            <div className="size-fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
          </div>
          <span className="muted" data-testid="encoded-size">
            {limitBytes
              ? `${formatBytes(encodedSize)} of ${formatBytes(limitBytes)} once encoded`
              : `${formatBytes(encodedSize)} once encoded`}
          </span>
        </div>
      )}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
