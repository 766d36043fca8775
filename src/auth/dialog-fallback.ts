import { clampExpiry, newNonce, parseDialogMessage } from "./dialog/protocol";
import { AuthError } from "./errors";

// Loaded on demand (import()) only when nested app auth cannot be used, so it stays out of the first paint.
// Opens dialog.html with Office's dialog API; that page signs in with a standard MSAL redirect and posts the
// result back with messageParent. Scopes, claims and a fresh nonce travel in the dialog URL; the token
// never does. A message is accepted only when it carries that nonce and, where the host reports the
// sender's origin (DialogOrigin 1.1), only from the dialog page's own origin.

export interface DialogTokenRequest {
  dialogUrl: string;
  scopes: string[];
  claims?: string;
}

export interface DialogToken {
  accessToken: string;
  expiresOn: number;
}

// Office dialog API error codes (https://learn.microsoft.com/office/dev/add-ins/develop/dialog-handle-errors-events).
const DIALOG_CLOSED_BY_USER = 12006;

export function acquireTokenViaOfficeDialog(
  office: typeof Office,
  request: DialogTokenRequest
): Promise<DialogToken> {
  const ui = office?.context?.ui;
  if (!ui || typeof ui.displayDialogAsync !== "function") {
    return Promise.reject(
      new AuthError(
        "dialog-unavailable",
        "This version of Outlook can sign in neither through nested app authentication nor through a dialog."
      )
    );
  }
  const url = new URL(request.dialogUrl, globalThis.location?.href);
  url.searchParams.set("scopes", request.scopes.join(" "));
  if (request.claims) url.searchParams.set("claims", request.claims);
  const nonce = newNonce();
  url.searchParams.set("nonce", nonce);
  const expectedOrigin = url.origin;
  // Hosts with DialogOrigin 1.1 always report the sender's origin: a message without one is not ours.
  const originReported =
    office.context.requirements?.isSetSupported?.("DialogOrigin", "1.1") === true;
  const fromOurPage = (origin: unknown) =>
    origin === expectedOrigin || (!originReported && origin === undefined);

  return new Promise<DialogToken>((resolve, reject) => {
    ui.displayDialogAsync(url.toString(), { height: 60, width: 30 }, (opened) => {
      if (String(opened.status) === "failed") {
        reject(
          new AuthError(
            "dialog-failed",
            `Outlook could not open the sign-in dialog (${opened.error?.code}).`,
            { detail: String(opened.error?.code) }
          )
        );
        return;
      }
      const dialog = opened.value;
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        try {
          dialog.close();
        } catch {
          // already closed by the user
        }
        outcome();
      };
      dialog.addEventHandler(office.EventType.DialogMessageReceived, (arg) => {
        if (!("message" in arg) || !fromOurPage((arg as { origin?: unknown }).origin)) return;
        const message = parseDialogMessage(arg.message);
        if (!message || message.nonce !== nonce) return;
        if (message.ok)
          finish(() =>
            resolve({
              accessToken: message.accessToken,
              expiresOn: clampExpiry(message.expiresOn, Date.now()),
            })
          );
        else
          finish(() =>
            reject(
              new AuthError(
                message.errorCode === "user_canceled" || message.errorCode === "user_cancelled"
                  ? "user-cancelled"
                  : "dialog-failed",
                `Sign-in failed: ${message.errorMessage}`,
                {
                  detail: message.errorCode,
                }
              )
            )
          );
      });
      dialog.addEventHandler(office.EventType.DialogEventReceived, (arg) => {
        const code = "error" in arg ? arg.error : undefined;
        finish(() =>
          reject(
            code === DIALOG_CLOSED_BY_USER
              ? new AuthError(
                  "user-cancelled",
                  "The sign-in dialog was closed before signing in.",
                  { detail: String(code) }
                )
              : new AuthError("dialog-failed", `The sign-in dialog stopped (${code}).`, {
                  detail: String(code),
                })
          )
        );
      });
    });
  });
}
