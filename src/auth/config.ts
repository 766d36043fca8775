// Auth settings are build-time: webpack's DefinePlugin replaces the `process.env.LARGE_ATTACH_*` expressions
// below with the values from the environment or `.env` (documented in .env.example). No tenant data here.

export interface AuthConfig {
  /** Application (client) id of the Entra app registration. */
  clientId: string;
  /** e.g. "https://login.microsoftonline.com/common" or ".../{tenant-id}". */
  authority: string;
  /** Where the sign-in dialog page (dialog.html) is served; also its SPA redirect URI in the registration. */
  dialogRedirectUri: string;
}

export const DEFAULT_AUTHORITY = "https://login.microsoftonline.com/common";

export function authConfigFromBuild(): AuthConfig {
  // Each expression is written out in full so DefinePlugin can find and replace it; the try keeps an
  // unbuilt browser page (no `process`) from throwing.
  const env = {
    clientId: read(() => process.env.LARGE_ATTACH_CLIENT_ID),
    authority: read(() => process.env.LARGE_ATTACH_AUTHORITY),
    dialogRedirectUri: read(() => process.env.LARGE_ATTACH_DIALOG_REDIRECT_URI),
  };
  return {
    clientId: env.clientId || "",
    authority: env.authority || DEFAULT_AUTHORITY,
    dialogRedirectUri: env.dialogRedirectUri || "",
  };
}

function read(get: () => string | undefined): string {
  try {
    return get() ?? "";
  } catch {
    return "";
  }
}

/**
 * Delegated Graph scopes: the item's own mailbox, plus the `.Shared` pair only when the item lives in someone
 * else's — Mail.ReadWrite.Shared for messages, Calendars.ReadWrite.Shared for a shared calendar's meetings
 * (Graph permissions reference; event attachments need Calendars.ReadWrite[.Shared]).
 */
export function graphScopes(sharedMailbox: boolean): string[] {
  const scopes = ["Mail.ReadWrite", "Calendars.ReadWrite"];
  if (sharedMailbox) scopes.push("Mail.ReadWrite.Shared", "Calendars.ReadWrite.Shared");
  return scopes;
}

/**
 * Which token a provider asks for. "mail" is the item's mailbox (graphScopes); "drive" is the user's own OneDrive
 * for files that cannot be attached — asked for only when the user first shares one (incremental consent), so an
 * add-in that never shares never asks for access to the user's files.
 */
export type GraphScopeSet = "mail" | "drive";

/**
 * Files.ReadWrite: the signed-in user's own OneDrive (create the add-in's folder, upload sessions, createLink).
 * Not Files.ReadWrite.All: shared files always go to the signer's own drive, never the mailbox owner's.
 */
export function driveScopes(): string[] {
  return ["Files.ReadWrite"];
}

export function scopesFor(set: GraphScopeSet, sharedMailbox: boolean): string[] {
  return set === "drive" ? driveScopes() : graphScopes(sharedMailbox);
}
