/** "How to set up your program": one disclosure per common client, each with a Copy button. */
import { relaySetupGuides, type RelaySetupValues } from '../lib/relay-setup';
import { CopyButton } from './CopyField';

export function RelaySetupHelp(values: RelaySetupValues) {
  return (
    <div className="relay-help">
      <h4>How to set up your program</h4>
      {relaySetupGuides(values).map((guide) => (
        <details key={guide.id} className="relay-guide">
          <summary>{guide.title}</summary>
          <p className="muted small">{guide.intro}</p>
          <pre className="snippet" tabIndex={0} aria-label={`${guide.title}: settings`}>
            {guide.text}
          </pre>
          <CopyButton text={guide.text} label={`Copy ${guide.id === 'generic' ? 'settings' : 'example'}`} />
        </details>
      ))}
    </div>
  );
}
