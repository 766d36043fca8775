// What the sign-in dialog page may do with the URL it was opened with. Anyone can link to dialog.html,
// so the page runs only inside Office's dialog (messageParent exists), only with the nonce our pane put
// in its URL, and only for scopes this add-in asks for anyway: a link cannot raise a consent prompt for
// scopes of its choosing.
import { driveScopes, graphScopes } from "../config";
import { isNonce } from "./protocol";

export type DialogRequest =
  | { ok: true; nonce: string; scopes: string[]; claims?: string }
  | { ok: false; reason: "not-in-office-dialog" | "no-nonce" };

/** Every scope the add-in ever asks for: the widest mail set (shared mailboxes) and the drive set (sharing). */
export function addinScopes(): string[] {
  return [...graphScopes(true), ...driveScopes()];
}

/** Requested scopes ∩ the add-in's own, compared case-insensitively as Entra does; none left → the default set. */
export function allowedScopes(requested: string | null): string[] {
  const own = new Map(addinScopes().map((scope) => [scope.toLowerCase(), scope]));
  const kept = (requested ?? "")
    .split(/\s+/)
    .map((scope) => own.get(scope.toLowerCase()))
    .filter((scope): scope is string => scope !== undefined);
  return kept.length > 0 ? [...new Set(kept)] : graphScopes(false);
}

/** Office's dialog API as the page sees it: `messageParent` exists only in a page Office opened as a dialog. */
export interface DialogUi {
  messageParent?: unknown;
}

export function readDialogRequest(search: string, ui: DialogUi | undefined): DialogRequest {
  if (typeof ui?.messageParent !== "function") return { ok: false, reason: "not-in-office-dialog" };
  const params = new URLSearchParams(search);
  const nonce = params.get("nonce");
  if (!isNonce(nonce)) return { ok: false, reason: "no-nonce" };
  const claims = params.get("claims") || undefined;
  return {
    ok: true,
    nonce,
    scopes: allowedScopes(params.get("scopes")),
    ...(claims ? { claims } : {}),
  };
}
