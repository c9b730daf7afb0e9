/**
 * `accounts:test`: connects, upgrades to TLS and authenticates through the account's real
 * transport without sending anything, then says which layer failed (network, TLS,
 * authentication, policy) in plain words, so a person knows whether to check the Wi-Fi, the
 * server settings, their sign-in, or their administrator.
 */
import type { TestLayer } from '../ipc/contract';
import type { DecodedSmtpError } from './smtp-errors';
import type { SmtpSender } from './smtp-sender';

const ORDER = ['network', 'tls', 'authentication', 'policy'] as const;
type Layer = (typeof ORDER)[number];

const PASSED: Record<Layer, string> = {
  network: 'The mail server answered.',
  tls: 'The connection is encrypted and the server proved its identity.',
  authentication: 'The server accepted the sign-in.',
  policy: 'Nothing in the provider settings blocks sending through SMTP.',
};

function failedLayer(error: DecodedSmtpError): Layer {
  if (error.layer === 'message') return 'policy';
  return error.layer;
}

/** Runs the check for `accountId`; every layer up to the failing one is reported. */
export async function testAccount(
  sender: Pick<SmtpSender, 'verify'>,
  accountId: string,
): Promise<{ ok: boolean; layers: TestLayer[] }> {
  const outcome = await sender.verify(accountId);
  if (outcome.ok) {
    return { ok: true, layers: ORDER.map((layer) => ({ layer, ok: true, message: PASSED[layer] })) };
  }
  const failed = failedLayer(outcome.error);
  const layers: TestLayer[] = [];
  for (const layer of ORDER) {
    if (layer === failed) {
      layers.push({ layer, ok: false, message: outcome.error.message, hint: outcome.error.hint });
      break;
    }
    // A policy refusal (SMTP AUTH turned off) answers the AUTH command before the token is
    // judged, so the sign-in is reported neither as passed nor as failed.
    if (layer === 'authentication' && failed === 'policy') continue;
    layers.push({ layer, ok: true, message: PASSED[layer] });
  }
  return { ok: false, layers };
}
