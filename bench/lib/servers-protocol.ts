/** What bench/servers.ts reports, and a client for its control API (used by benchmark processes). */
import type { TokenRequestCounts } from '../../test/support/sandbox/identity-provider';
import type { SmtpStats } from '../../test/support/sandbox/smtp-server';

export type ServersInfo = {
  issuer: string;
  clientId: string;
  mailScope: string;
  /** The sandbox user the benchmarks sign in as. */
  email: string;
  smtpHost: '127.0.0.1';
  smtpPort: number;
  /** PEM of the SMTP server's certificate (trusted as the account's extra CA). */
  ca: string;
  /** The same PEM in a file (msmtp's tls_trust_file). */
  caFile: string;
  /** Base URL of the control API. */
  control: string;
  pid: number;
};

/** One message the SMTP server accepted; `at` is wall-clock milliseconds with sub-ms precision. */
export type AcceptRecord = { at: number; messageId: string | null; sizeBytes: number; user: string };

export type ServersStats = { smtp: SmtpStats; tokenRequests: TokenRequestCounts; accepted: number };

/** Wall-clock milliseconds, comparable across processes on one machine (`AcceptRecord.at`). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export function serversFromEnv(): ServersInfo {
  const raw = process.env.BENCH_SERVERS;
  if (!raw) throw new Error('BENCH_SERVERS is not set: run benchmarks through `npm run bench` (bench/run.ts).');
  return JSON.parse(raw) as ServersInfo;
}

export type ServersClient = {
  stats(): Promise<ServersStats>;
  accepted(from: number): Promise<AcceptRecord[]>;
  /** Resolves once `count` messages were accepted in total; throws after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ServersStats>;
};

export function serversClient(info: ServersInfo): ServersClient {
  const get = async <T>(route: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${info.control}${route}`);
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    stats: async () => (await get<ServersStats>('/stats')).body,
    accepted: async (from) => (await get<AcceptRecord[]>(`/accepted?from=${from}`)).body,
    async waitFor(count, timeoutMs = 60_000) {
      const { status, body } = await get<ServersStats>(`/wait?count=${count}&timeoutMs=${timeoutMs}`);
      if (status !== 200)
        throw new Error(`the SMTP server accepted ${body.accepted} of ${count} messages within ${timeoutMs} ms`);
      return body;
    },
  };
}
