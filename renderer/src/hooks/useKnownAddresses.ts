/**
 * The addresses To, Cc and Bcc suggest: recipients of sent mail (history, read when the view
 * opens and again after each send) and of messages in the outbox, minus every address a server
 * refused, which is most often a typo not worth suggesting again.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OutboxItem, RefusedRecipient } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { settle } from '../lib/errors';
import { recipientsFromStrings } from '../lib/recipients';

/** How many history entries the suggestions are drawn from. */
export const HISTORY_ENTRIES = 200;

function withoutRefused(addresses: string[], refused: readonly RefusedRecipient[]): string[] {
  if (!refused.length) return addresses;
  const gone = new Set(refused.map((r) => r.address.toLowerCase()));
  return addresses.filter((entry) => !recipientsFromStrings([entry]).some((r) => gone.has(r.address.toLowerCase())));
}

export type KnownAddresses = {
  /** Every address as often as it was used; the field ranks them (suggestAddresses). */
  addresses: string[];
  /** Reads history again (after a send). */
  reload(): void;
};

export function useKnownAddresses(outboxItems: readonly OutboxItem[]): KnownAddresses {
  const api = useApi();
  const [sent, setSent] = useState<string[]>([]);

  const reload = useCallback(() => {
    void settle(() => api.history.list({ limit: HISTORY_ENTRIES })).then((result) => {
      if (!result.ok) return;
      setSent(
        withoutRefused(
          result.value.flatMap((entry) => entry.to),
          result.value.flatMap((entry) => entry.refused ?? []),
        ),
      );
    });
  }, [api]);
  useEffect(reload, [reload]);

  const addresses = useMemo(
    () => [
      ...sent,
      ...withoutRefused(
        outboxItems.flatMap((i) => [...i.to, ...i.cc]),
        outboxItems.flatMap((i) => i.refused ?? []),
      ),
    ],
    [sent, outboxItems],
  );
  return { addresses, reload };
}
