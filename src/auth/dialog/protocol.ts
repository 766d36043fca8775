// The one message the sign-in dialog page sends back to the task pane with Office.context.ui.messageParent,
// and the rules both ends apply to it. The pane puts a random nonce in the dialog's URL; the dialog echoes
// it, and the pane accepts only a message carrying it — so a page the dialog navigated to (or any other
// sender) cannot hand the pane a token of its choosing.

export const DIALOG_MESSAGE_TYPE = "large-attach/auth-result";

/** A token from the dialog is believed for at most this long, whatever `expiresOn` it claims. */
export const MAX_DIALOG_TOKEN_LIFETIME_MS = 2 * 60 * 60_000;

/** 128 random bits, hex: what the pane puts in `?nonce=` and the dialog echoes. */
const NONCE_SHAPE = /^[0-9a-f]{32}$/;

export type DialogResultMessage =
  | {
      type: typeof DIALOG_MESSAGE_TYPE;
      nonce: string;
      ok: true;
      accessToken: string;
      expiresOn: number;
    }
  | {
      type: typeof DIALOG_MESSAGE_TYPE;
      nonce: string;
      ok: false;
      errorCode: string;
      errorMessage: string;
    };

export function newNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function isNonce(value: unknown): value is string {
  return typeof value === "string" && NONCE_SHAPE.test(value);
}

/** The message, when it is well-formed: our type, a nonce, and for a success a token and a finite expiry. */
export function parseDialogMessage(raw: string): DialogResultMessage | null {
  try {
    const message = JSON.parse(raw) as Record<string, unknown> | null;
    if (message?.type !== DIALOG_MESSAGE_TYPE || typeof message.ok !== "boolean") return null;
    if (!isNonce(message.nonce)) return null;
    if (message.ok) {
      if (typeof message.accessToken !== "string" || !message.accessToken) return null;
      // A number, and a time: "never", Infinity (JSON has none, but 1e999 parses to it) and NaN are refused.
      if (typeof message.expiresOn !== "number" || !Number.isFinite(message.expiresOn)) return null;
    }
    return message as unknown as DialogResultMessage;
  } catch {
    return null;
  }
}

/** `expiresOn` as the pane will believe it: never more than MAX_DIALOG_TOKEN_LIFETIME_MS from `now`. */
export function clampExpiry(expiresOn: number, now: number): number {
  return Math.min(expiresOn, now + MAX_DIALOG_TOKEN_LIFETIME_MS);
}
