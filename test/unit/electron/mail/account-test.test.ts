import { describe, expect, it } from 'vitest';
import { channels, resultSchema } from '../../../../electron/ipc/contract';
import { testAccount } from '../../../../electron/mail/account-test';
import { decodeSendError, decodeSmtpReply } from '../../../../electron/mail/smtp-errors';
import type { VerifyOutcome } from '../../../../electron/mail/smtp-sender';

const run = async (outcome: VerifyOutcome) => {
  const answer = await testAccount({ verify: async () => outcome }, 'acc');
  expect(resultSchema(channels['accounts:test'].response).safeParse({ ok: true, value: answer }).success).toBe(true);
  return { ok: answer.ok, layers: answer.layers.map((l) => `${l.layer}:${l.ok}`) };
};

describe('testAccount', () => {
  it('reports all four layers when the check passes', async () => {
    expect(await run({ ok: true })).toEqual({
      ok: true,
      layers: ['network:true', 'tls:true', 'authentication:true', 'policy:true'],
    });
  });

  it('stops at the failing layer', async () => {
    expect(await run({ ok: false, error: decodeSendError({ code: 'ECONNECTION', message: 'refused' }) })).toEqual({
      ok: false,
      layers: ['network:false'],
    });
    expect(
      await run({ ok: false, error: decodeSendError({ code: 'ESOCKET', message: 'certificate has expired' }) }),
    ).toEqual({ ok: false, layers: ['network:true', 'tls:false'] });
    expect(
      await run({
        ok: false,
        error: decodeSmtpReply('535 5.7.8 Username and Password not accepted', 535, 'authentication'),
      }),
    ).toEqual({ ok: false, layers: ['network:true', 'tls:true', 'authentication:false'] });
    expect(
      await run({
        ok: false,
        error: decodeSmtpReply(
          '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
          535,
          'authentication',
        ),
      }),
    ).toEqual({ ok: false, layers: ['network:true', 'tls:true', 'policy:false'] });
  });
});
