/**
 * Applied to every web contents as it is created: no new windows, no navigation away from our
 * page, no webviews, no permission grants beyond the clipboard write of our own page. The
 * decisions are in shell/web-policy.ts; links to allowed URLs go to the person's browser
 * through the one checked function. https://www.electronjs.org/docs/latest/tutorial/security
 */
import { app, session, type Event } from 'electron';
import type { ExternalUrlPolicy } from '../shell/external-url';
import { navigationDecision, permissionDecision, windowOpenDecision } from '../shell/web-policy';

export function hardenWebContents(policy: ExternalUrlPolicy, openExternal: (href: string) => void): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionDecision(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    permissionDecision(permission, requestingOrigin),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url, policy);
      if (decision.openExternally) openExternal(decision.openExternally);
      return { action: 'deny' };
    });
    const block = (event: Event, url: string) => {
      event.preventDefault();
      const decision = navigationDecision(url, policy);
      if (decision.openExternally) openExternal(decision.openExternally);
    };
    contents.on('will-navigate', (event) => block(event, event.url));
    // Sub-frames too (we have none; an injected one must not navigate either). Only the
    // main frame's will-navigate may hand a link to the browser, so nothing opens twice.
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
