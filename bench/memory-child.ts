/**
 * One fresh process of item 5: the sending service (durable outbox + nodemailer, real sandbox
 * tokens) sends one message with a 200 MB attachment. Peak resident memory growth over the idle
 * baseline: the kernel's high-water mark (VmHWM, reset through /proc/self/clear_refs after the
 * baseline) and 5 ms samples of RSS, whichever is higher.
 *
 * The sandbox provider's accounts allow 25 MB, so this process builds the mail service directly
 * (as the crash test does) with an account whose limit is 400 MB; everything after the size
 * check is the same code as in the app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AccountDirectory, SendingAccount } from '../electron/accounts/sending-account';
import { createFileRegistry } from '../electron/files/file-registry';
import { createMailService } from '../electron/outbox/mail-service';
import { createEventBus } from '../electron/ipc/event-bus';
import { createLogger, createMemorySink, createRedactor } from '../electron/shared/logger';
import { systemClock } from '../electron/shared/ports';
import { createNodeCipher } from '../test/support/node-cipher';
import { createSandboxTokenSource } from '../test/fakes/sandbox-token-source';
import { serversClient, serversFromEnv } from './lib/servers-protocol';
import { runWorker } from './lib/worker';
import { resetHwm, vmHwmBytes } from './lib/high-water';

const ATTACHMENT_BYTES = 200 * 1024 * 1024;

export type MemorySample = {
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  hwmAvailable: boolean;
  sendMs: number;
  attachmentMb: number;
};

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

runWorker('memory', async (): Promise<MemorySample> => {
  const servers = serversFromEnv();
  const control = serversClient(servers);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'quicksend-bench-memory-'));
  try {
    // A sparse file: 200 MB that cost no disk until the outbox copies it.
    const attachment = path.join(scratch, 'big-attachment.bin');
    const handle = await open(attachment, 'w');
    await handle.truncate(ATTACHMENT_BYTES);
    await handle.close();

    const account: SendingAccount = {
      id: 'bench',
      providerId: 'sandbox',
      login: servers.email,
      fromAddress: servers.email,
      displayName: 'Bench',
      smtp: { host: servers.smtpHost, port: servers.smtpPort, security: 'starttls', extraCa: servers.ca },
      attachmentLimitBytes: 400 * MB,
    };
    const accounts: AccountDirectory = {
      get: (id) => (id === account.id ? account : undefined),
      markNeedsSignIn: async () => {},
      touch: () => {},
    };
    const redactor = createRedactor();
    const tokens = await createSandboxTokenSource({ issuer: servers.issuer, clientId: servers.clientId }, (t) =>
      redactor.register(t),
    );
    await tokens.signIn(account.id, servers.email);
    const events = createEventBus();
    const files = createFileRegistry({ clock: systemClock });
    const service = createMailService({
      dataDir: path.join(scratch, 'data'),
      cipher: createNodeCipher(),
      accounts,
      tokens,
      clock: systemClock,
      network: { isOnline: () => true, onOnline: () => () => {}, onResume: () => () => {} },
      events,
      logger: createLogger({ sink: createMemorySink({ limit: 1000 }), redactor }),
      redactor,
      development: true,
      undoDelayMs: () => 0,
      files,
    });
    await service.start();
    const send = async (extra: Record<string, unknown>) => {
      const before = (await control.stats()).accepted;
      const started = performance.now();
      await service.send({
        accountId: account.id,
        to: ['friend@example.com'],
        subject: 'Memory bench',
        text: 'See attachment.',
        ...extra,
      });
      await control.waitFor(before + 1, 120_000);
      return performance.now() - started;
    };

    // Warm-up: every module loaded, the pool connected; then let the process go idle.
    await send({});
    await sleep(1000);
    const rssSamples: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      rssSamples.push(process.memoryUsage.rss());
      await sleep(50);
    }
    const baseline = Math.max(...rssSamples);

    const hwmAvailable = resetHwm() && vmHwmBytes() !== null;
    let sampledPeak = 0;
    const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())), 5);
    // As if the person had picked it in Attach…: main gives the file an id.
    const sendMs = await send({ attachments: [{ fileId: files.register(attachment) }] });
    clearInterval(sampler);
    const peak = Math.max(sampledPeak, hwmAvailable ? (vmHwmBytes() ?? 0) : 0);
    await service.stop();
    return {
      baselineMb: baseline / MB,
      peakMb: peak / MB,
      growthMb: (peak - baseline) / MB,
      hwmAvailable,
      sendMs,
      attachmentMb: ATTACHMENT_BYTES / MB,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
