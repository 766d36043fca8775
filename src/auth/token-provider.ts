import {
  InteractionRequiredAuthError,
  type AuthenticationResult,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { TokenProvider } from "../upload/types";
import { scopesFor, type AuthConfig, type GraphScopeSet } from "./config";
import type { DialogToken } from "./dialog-fallback";
import { AuthError } from "./errors";
import { nestedClientOrNull } from "./nested-client";

export interface GraphTokenProviderOptions {
  /** The item lives in a shared/delegate mailbox: ask for Mail.ReadWrite.Shared and Calendars.ReadWrite.Shared as well. */
  sharedMailbox?: boolean;
  /**
   * "mail" (default): the item's mailbox. "drive": Files.ReadWrite only, for sharing a file through OneDrive — a
   * provider of its own, created when the user first shares, so the consent prompt comes then (incremental consent).
   */
  scopes?: GraphScopeSet;
  /** Office namespace: the NestedAppAuth requirement-set check and the dialog fallback need it. */
  office?: typeof Office;
  /** URL of the sign-in dialog page; defaults to dialog.html beside the task pane. */
  dialogUrl?: string;
  /** A dialog token is reused until this long before it expires. */
  expiryMarginMs?: number;
}

// MSAL error codes after which only the Office dialog can still sign the user in.
const POPUP_BLOCKED = new Set(["popup_window_error", "empty_window_error"]);
const NAA_UNAVAILABLE = new Set(["nested_app_auth_bridge_disabled", "unsupported_method"]);

/**
 * Graph tokens for the task pane: nested app authentication (MSAL `createNestablePublicClientApplication`)
 * → `acquireTokenSilent` → `acquireTokenPopup` when interaction is required → the Office dialog when NAA is
 * unavailable or the popup is blocked. A claims challenge (`request.claims`) is passed to every step; MSAL
 * skips its cache for it. Tokens are returned, never logged or stored here (MSAL keeps its own cache).
 */
export function createGraphTokenProvider(
  config: AuthConfig,
  options: GraphTokenProviderOptions
): TokenProvider {
  const scopes = scopesFor(options.scopes ?? "mail", options.sharedMailbox ?? false);
  const expiryMarginMs = options.expiryMarginMs ?? 5 * 60_000;
  let nestedClient: Promise<IPublicClientApplication | null> | undefined;
  // The dialog path has no MSAL instance in this window; its token lives in memory only, for this pane's life.
  let dialogToken: DialogToken | null = null;

  const viaDialog = async (claims: string | undefined): Promise<string> => {
    if (!claims && dialogToken && dialogToken.expiresOn - expiryMarginMs > Date.now())
      return dialogToken.accessToken;
    if (!options.office)
      throw new AuthError(
        "dialog-unavailable",
        "Nested app authentication is unavailable and there is no Office host for the sign-in dialog."
      );
    const { acquireTokenViaOfficeDialog } = await import(
      /* webpackChunkName: "auth-dialog-fallback" */ "./dialog-fallback"
    );
    const dialogUrl = options.dialogUrl ?? config.dialogRedirectUri ?? "dialog.html";
    dialogToken = await acquireTokenViaOfficeDialog(options.office, {
      dialogUrl: dialogUrl || "dialog.html",
      scopes,
      claims,
    });
    return dialogToken.accessToken;
  };

  return async (request) => {
    if (!config.clientId) {
      throw new AuthError(
        "not-configured",
        "This build has no Entra application id (LARGE_ATTACH_CLIENT_ID); see the README."
      );
    }
    const claims = request?.claims || undefined;
    nestedClient ??= nestedClientFor(config, options.office);
    const client = await nestedClient;
    if (!client) return viaDialog(claims);

    const tokenRequest = { scopes, ...(claims ? { claims } : {}) };
    try {
      return accessTokenOf(await client.acquireTokenSilent(tokenRequest));
    } catch (error) {
      if (isNaaUnavailable(error)) return viaDialog(claims);
      if (!isInteractionRequired(error)) throw toAuthError(error);
    }
    try {
      return accessTokenOf(await client.acquireTokenPopup(tokenRequest));
    } catch (error) {
      if (isPopupBlocked(error) || isNaaUnavailable(error)) return viaDialog(claims);
      throw toAuthError(error);
    }
  };
}

/**
 * Starts this host's one NAA client (MSAL's start and the bridge handshake) ahead of the first token,
 * so a click that needs one does not wait for them. Asks for no token and no consent: the scopes
 * are asked for by the provider's first call, as before.
 */
export function startNestedClient(config: AuthConfig, office: typeof Office | undefined): void {
  if (!config.clientId || !office) return;
  void nestedClientFor(config, office);
}

/**
 * One NAA client per Office host and app for every provider of the pane (mail, and the drive scope
 * asked at the first share), as MSAL intends one client per app: a second one would redo the
 * bridge handshake and MSAL's start at the user's first share (≈ 100 ms of main thread traced,
 * bench/analysis.md). Without an Office object nothing is shared.
 */
const nestedClients = new WeakMap<object, Map<string, Promise<IPublicClientApplication | null>>>();

function nestedClientFor(
  config: AuthConfig,
  office: typeof Office | undefined
): Promise<IPublicClientApplication | null> {
  if (!office) return createNestedClient(config, office);
  let byApp = nestedClients.get(office);
  if (!byApp) nestedClients.set(office, (byApp = new Map()));
  const key = `${config.clientId} ${config.authority}`;
  let client = byApp.get(key);
  if (!client) byApp.set(key, (client = createNestedClient(config, office)));
  return client;
}

/** The NAA client, or null when this host offers no NAA (requirement set missing, no bridge, bridge refused). */
async function createNestedClient(
  config: AuthConfig,
  office: typeof Office | undefined
): Promise<IPublicClientApplication | null> {
  const requirements = office?.context?.requirements;
  if (
    requirements &&
    typeof requirements.isSetSupported === "function" &&
    !requirements.isSetSupported("NestedAppAuth", "1.1")
  ) {
    return null;
  }
  return nestedClientOrNull(config);
}

function accessTokenOf(result: AuthenticationResult): string {
  if (!result?.accessToken)
    throw new AuthError("sign-in-failed", "Sign-in finished without an access token.");
  return result.accessToken;
}

function errorCodeOf(error: unknown): string {
  return String((error as { errorCode?: unknown })?.errorCode ?? "");
}

function isInteractionRequired(error: unknown): boolean {
  return (
    error instanceof InteractionRequiredAuthError ||
    (error as { name?: string })?.name === "InteractionRequiredAuthError"
  );
}

function isPopupBlocked(error: unknown): boolean {
  return POPUP_BLOCKED.has(errorCodeOf(error));
}

function isNaaUnavailable(error: unknown): boolean {
  return NAA_UNAVAILABLE.has(errorCodeOf(error));
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const code = errorCodeOf(error);
  if (code === "user_canceled" || code === "user_cancelled")
    return new AuthError("user-cancelled", "Sign-in was cancelled.", {
      cause: error,
      detail: code,
    });
  return new AuthError("sign-in-failed", `Sign-in failed${code ? ` (${code})` : ""}.`, {
    cause: error,
    detail: code || undefined,
  });
}

/** Tokens for the user's own OneDrive (Files.ReadWrite), asked for only when the user first shares a file. */
export function createDriveTokenProvider(
  config: AuthConfig,
  options: Omit<GraphTokenProviderOptions, "scopes" | "sharedMailbox">
): TokenProvider {
  return createGraphTokenProvider(config, { ...options, scopes: "drive" });
}
