// The sandbox: local stand-ins for the outside services Quicksend talks to, all on 127.0.0.1
// with ephemeral ports, shared by the integration tests, the e2e suite, `npm run demo` and bench/.
import { startIdentityProvider, type SandboxIdentityProvider, type SandboxOptions } from './identity-provider';

export {
  SANDBOX_MAIL_SCOPE,
  SANDBOX_SCOPES,
  type IntrospectionResult,
  type SandboxIdentityProvider,
  type SandboxOptions,
  type SandboxUser,
  type TokenRequestCounts,
} from './identity-provider';
export { CookieJar, completeLogin, completeLoginInBrowserless, followToCallback, type CompleteLoginOptions } from './browser-login';

/** A running sandbox; `stop()` releases everything it started. */
export type Sandbox = SandboxIdentityProvider;

/**
 * Starts the sandbox identity provider (oidc-provider on 127.0.0.1, port 0) with a native public
 * client `quicksend-sandbox` and one user demo@quicksend.test unless `options` say otherwise.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startIdentityProvider(options);
}
