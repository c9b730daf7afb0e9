/**
 * While the browser is open: what is happening, "Copy sign-in link" (for when the page
 * opened in the wrong browser), and Cancel. Fed by `signin:progress` events.
 */
import type { SignInStage } from '../../../electron/ipc/contract';
import { stageText } from '../lib/providers';
import { CopyButton } from './CopyField';

export type Progress = { stage: SignInStage; signInUrl?: string | undefined; message?: string | undefined };

export function SignInProgress({
  providerName,
  progress,
  onCancel,
}: {
  providerName: string;
  progress: Progress;
  onCancel(): void;
}) {
  return (
    <div className="signin-progress" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <div>
        <p>{stageText(progress.stage, providerName)}</p>
        {progress.message && <p className="muted">{progress.message}</p>}
        <div className="actions">
          {progress.signInUrl && <CopyButton text={progress.signInUrl} label="Copy sign-in link" />}
          <button type="button" className="button button-small" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
