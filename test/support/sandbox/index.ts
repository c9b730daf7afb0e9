// The sandbox: local stand-ins for the outside services Quicksend talks to, all on 127.0.0.1
// with ephemeral ports, shared by the integration tests, the e2e suite, `npm run demo` and bench/.
import { startIdentityProvider, type SandboxIdentityProvider, type SandboxOptions } from './identity-provider';
import { startSandboxSmtp, type SandboxSmtp, type SandboxSmtpOptions } from './smtp-server';

export {
  SANDBOX_MAIL_SCOPE,
  SANDBOX_SCOPES,
  type IntrospectionResult,
  type SandboxIdentityProvider,
  type SandboxOptions,
  type SandboxUser,
  type TokenAnswerHold,
  type TokenAnswerHoldOptions,
  type TokenRequestCounts,
} from './identity-provider';
export {
  SANDBOX_SMTP_CA,
  SANDBOX_SMTP_CA_NAME,
  startSandboxSmtp,
  type ReceivedMessage,
  type SandboxAuthMethod,
  type SandboxCertificate,
  type SandboxSmtp,
  type SandboxSmtpOptions,
} from './smtp-server';
export {
  CookieJar,
  completeLogin,
  completeLoginInBrowserless,
  followToCallback,
  type CompleteLoginOptions,
} from './browser-login';

/** A running sandbox; `stop()` releases everything it started. */
export type Sandbox = SandboxIdentityProvider & {
  /** The SMTP half: STARTTLS + XOAUTH2/OAUTHBEARER checked against this provider (see smtp-server.ts). */
  smtp: SandboxSmtp;
};

/**
 * Starts the sandbox identity provider (oidc-provider on 127.0.0.1, port 0) with a native public
 * client `quicksend-sandbox` and one user demo@quicksend.test unless `options` say otherwise,
 * and the sandbox SMTP server next to it, which checks tokens with the provider's introspection.
 */
export async function startSandbox(
  options: SandboxOptions & { smtp?: Omit<SandboxSmtpOptions, 'introspect'> } = {},
): Promise<Sandbox> {
  const { smtp: smtpOptions, ...idpOptions } = options;
  const idp = await startIdentityProvider(idpOptions);
  const smtp = await startSandboxSmtp({ ...smtpOptions, introspect: (token) => idp.introspect(token) }).catch(
    async (error: unknown) => {
      await idp.stop();
      throw error;
    },
  );
  return {
    ...idp,
    smtp,
    async stop() {
      await smtp.stop();
      await idp.stop();
    },
  };
}
