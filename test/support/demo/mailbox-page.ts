/**
 * A small page listing what the sandbox SMTP server received, so a newcomer sees the mail
 * arrive: sender, recipients, subject, attachments, and the text. Loopback only, no scripts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { SandboxSmtp } from '../sandbox';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startMailboxPage(smtp: SandboxSmtp): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer(async (_req, res) => {
    const rows: string[] = [];
    for (const message of [...smtp.messages()].reverse()) {
      const parsed = await simpleParser(await smtp.read(message.id));
      const files = parsed.attachments
        .map((a) => `${escape(a.filename ?? 'file')} (${Math.round(a.size / 1024)} kB)`)
        .join(', ');
      rows.push(`<article><h2>${escape(parsed.subject ?? '(no subject)')}</h2>
<p><b>From</b> ${escape(parsed.from?.text ?? '')} · <b>To</b> ${escape(
        [parsed.to]
          .flat()
          .map((t) => t?.text ?? '')
          .join(', '),
      )}
${files ? ` · <b>Attachments</b> ${files}` : ''} · ${escape(parsed.date?.toLocaleString() ?? '')}</p>
<pre>${escape((parsed.text ?? '').slice(0, 4000))}</pre></article>`);
    }
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'Cache-Control': 'no-store',
    });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>Sandbox mailbox</title><style>body{font:15px system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:8px;padding:0 1rem;margin:1rem 0}pre{white-space:pre-wrap}</style></head>
<body><h1>Sandbox mailbox</h1><p>Everything Quicksend sent through the sandbox SMTP server (refreshes every 3 s).</p>
${rows.join('\n') || '<p><i>Nothing received yet.</i></p>'}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
