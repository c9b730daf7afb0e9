/**
 * The relay's listeners: one smtp-server per loopback address (127.0.0.1, and ::1 where the
 * system has IPv6) on the main port, plain with STARTTLS, plus the same for implicit TLS when
 * the person turned it on. Anything but a loopback address is refused before a socket opens.
 * One connection gate spans every listener: past `maxConnections`, a new client gets 421.
 */
import { isIP, type Server, type Socket } from 'node:net';
// Type only here: smtp-server loads when the relay is turned on, not at every start-up.
import type { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { AppError } from '../shared/errors';
import type { LoopbackCertificate } from './loopback-cert';
import type { RelayOptions } from './relay-options';
import type { RelaySession } from './relay-session';

export type ListenerInfo = { address: string; port: number; tls: 'starttls' | 'implicit' };

export type RelayServer = {
  listening: ListenerInfo[];
  /** Open SMTP connections right now (all listeners). */
  connections(): number;
  /** Advertises a new SIZE in EHLO from now on (the largest account limit). */
  setSizeLimit(bytes: number): void;
  /** Stops listening, lets sessions finish for `closeTimeoutMs`, then cuts them. */
  close(): Promise<void>;
};

/** Why a listener could not start: the port is taken, or the address does not exist here. */
export class ListenError extends Error {
  readonly code: string;
  readonly port: number;
  readonly address: string;
  constructor(code: string, address: string, port: number) {
    super(`could not listen on ${address}:${port} (${code})`);
    this.name = 'ListenError';
    this.code = code;
    this.address = address;
    this.port = port;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

/** Refuses any host that is not exactly 127.0.0.1 or ::1 (no names, no 0.0.0.0, no other 127/8). */
export function assertLoopback(host: string): void {
  if (!LOOPBACK.has(host) || isIP(host) === 0) {
    throw new AppError(
      'relay.not_loopback',
      `The relay listens only on this computer (127.0.0.1 or ::1), never on ${JSON.stringify(host)}.`,
    );
  }
}

export type RelayServerConfig = {
  port: number;
  /** null: no implicit-TLS listener. */
  implicitTlsPort: number | null;
  /** AUTH before STARTTLS on the plain port (the traffic never leaves the computer). */
  allowPlainAuth: boolean;
  sizeLimitBytes: number;
  certificate: LoopbackCertificate;
};

type SessionConnection = { _socket?: Socket };

export async function startRelayServer(
  config: RelayServerConfig,
  session: RelaySession,
  options: RelayOptions,
): Promise<RelayServer> {
  const { SMTPServer } = await import('smtp-server');
  for (const host of options.hosts) assertLoopback(host);
  const servers: Array<{ server: SMTPServer; info: ListenerInfo }> = [];
  let open = 0;

  const make = (implicitTls: boolean): SMTPServer => {
    const serverOptions: SMTPServerOptions & { maxRecipients?: number } = {
      secure: implicitTls,
      key: config.certificate.key,
      cert: config.certificate.cert,
      name: options.serverName,
      banner: 'Quicksend relay',
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: config.allowPlainAuth,
      size: config.sizeLimitBytes,
      hideSMTPUTF8: true,
      disableReverseLookup: true,
      logger: false,
      socketTimeout: options.socketTimeoutMs,
      closeTimeout: options.closeTimeoutMs,
      onAuth: session.onAuth,
      onMailFrom: session.onMailFrom,
      onRcptTo: session.onRcptTo,
      onData: session.onData,
      onClose: session.onClose,
    };
    const server = new SMTPServer(serverOptions);
    // Client-caused socket errors (resets, bad TLS) are part of life on a port.
    server.on('error', () => {});
    // One gate before smtp-server sees a socket: it counts per listener, we count them all.
    const net = server.server as Server;
    const handlers = net.listeners('connection') as Array<(socket: Socket) => void>;
    net.removeAllListeners('connection');
    net.on('connection', (socket: Socket) => {
      socket.on('error', () => {});
      if (open >= options.maxConnections) {
        if (implicitTls) socket.destroy();
        else socket.end('421 4.7.0 Too many programs are connected to Quicksend; try again in a moment\r\n');
        return;
      }
      open += 1;
      socket.once('close', () => (open -= 1));
      for (const handler of handlers) handler.call(net, socket);
    });
    return server;
  };

  const listen = (server: SMTPServer, host: string, port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(new ListenError(error.code ?? 'EUNKNOWN', host, port));
      server.server.once('error', onError);
      server.listen(port, host, () => {
        server.server.off('error', onError);
        resolve();
      });
    });

  const closeAll = () => Promise.all(servers.map(({ server }) => closeServer(server)));
  try {
    const ports: Array<[number, boolean]> = [[config.port, false]];
    if (config.implicitTlsPort !== null) ports.push([config.implicitTlsPort, true]);
    for (const [port, implicitTls] of ports) {
      for (const host of options.hosts) {
        const server = make(implicitTls);
        try {
          await listen(server, host, port);
        } catch (error) {
          // No IPv6 on this system: 127.0.0.1 alone is fine.
          if (
            host === '::1' &&
            error instanceof ListenError &&
            (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')
          )
            continue;
          throw error;
        }
        servers.push({ server, info: { address: host, port, tls: implicitTls ? 'implicit' : 'starttls' } });
      }
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  return {
    listening: servers.map(({ info }) => info),
    connections: () => open,
    setSizeLimit(bytes) {
      for (const { server } of servers) (server.options as { size?: number }).size = bytes;
    },
    async close() {
      await closeAll();
    },
  };
}

/** smtp-server's close waits for sessions up to closeTimeout, then cuts what is left. */
function closeServer(server: SMTPServer): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  }).then(() => {
    for (const connection of server.connections as Set<SessionConnection>) connection._socket?.destroy();
  });
}
