import { useEffect, useState } from 'react';
import { useApi } from '../api';
import type { Progress } from '../components/SignInProgress';

/** The latest `signin:progress` for one provider while `listening`. */
export function useSignInProgress(providerId: string | null, listening: boolean) {
  const api = useApi();
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    if (!providerId || !listening) return;
    return api.on('signin:progress', (p) => {
      if (p.providerId === providerId) setProgress({ stage: p.stage, signInUrl: p.signInUrl, message: p.message });
    });
  }, [api, providerId, listening]);
  return [progress, setProgress] as const;
}
