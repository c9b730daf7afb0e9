/**
 * Records a global shortcut: focus the field and press the keys. Enter/Tab/Esc with no
 * modifier keep their usual meaning, so the field never traps keyboard users.
 */
import { useState, type KeyboardEvent } from 'react';
import { describeAccelerator, toAccelerator } from '../lib/accelerator';

type Props = { id: string; value: string; onChange(accelerator: string): void; describedBy?: string };

export function ShortcutInput({ id, value, onChange, describedBy }: Props) {
  const [recording, setRecording] = useState(false);
  const mac = /Mac/.test(navigator.platform);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey;
    if (plain && (e.key === 'Tab' || e.key === 'Escape' || e.key === 'Enter')) return;
    e.preventDefault();
    const accelerator = toAccelerator(e);
    if (accelerator) onChange(accelerator);
  };
  return (
    <input
      id={id}
      type="text"
      readOnly
      className="shortcut-input"
      value={recording ? `${describeAccelerator(value, mac)}  (press new keys)` : describeAccelerator(value, mac)}
      aria-describedby={describedBy}
      onFocus={() => setRecording(true)}
      onBlur={() => setRecording(false)}
      onKeyDown={onKeyDown}
    />
  );
}
