import type { IPublicClientApplication } from "@azure/msal-browser";
import type { TokenProvider } from "../upload/types";
import { graphScopes, type AuthConfig } from "./config";
import { AuthError } from "./errors";
import { nestedClientOrNull } from "./nested-client";

/**
 * Graph tokens for the event-based runtime (the Send guard): nested app authentication, silent only. The event
 * runtime has no UI for a popup or the Office dialog, so anything but a silent token is an AuthError, which the
 * guard treats as "could not check". Microsoft's pattern for events is the same MSAL NAA client as the pane
 * ("Implement SSO in events in an Outlook add-in using nested app authentication" sample); classic Outlook on
 * Windows additionally needs the add-in's origin to list commands.js in
 * /.well-known/microsoft-officeaddins-allowed.json (use-sso-in-event-based-activation).
 */
export function createEventTokenProvider(
  config: AuthConfig,
  options: { sharedMailbox: boolean }
): TokenProvider {
  let client: Promise<IPublicClientApplication | null> | undefined;
  return async (request) => {
    if (!config.clientId)
      throw new AuthError("not-configured", "This build has no Entra application id.");
    client ??= nestedClientOrNull(config);
    const nested = await client;
    if (!nested)
      throw new AuthError("sign-in-failed", "Nested app authentication is unavailable here.");
    const claims = request?.claims || undefined;
    try {
      const result = await nested.acquireTokenSilent({
        scopes: graphScopes(options.sharedMailbox),
        ...(claims ? { claims } : {}),
      });
      if (!result?.accessToken) throw new Error("no access token");
      return result.accessToken;
    } catch (error) {
      throw new AuthError("sign-in-failed", "No silent Graph token in the event runtime.", {
        cause: error,
      });
    }
  };
}
