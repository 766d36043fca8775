// Failures of getting a Graph token, in terms the task pane can explain. Messages never carry a token.

export type AuthErrorCode =
  | "not-configured" // the build has no client id (LARGE_ATTACH_CLIENT_ID)
  | "user-cancelled" // the user closed the sign-in popup or dialog
  | "dialog-unavailable" // NAA is unsupported and this host cannot open an Office dialog
  | "dialog-failed" // displayDialogAsync refused, or the dialog page reported an error
  | "sign-in-failed"; // MSAL failed for another reason (network, server, consent)

export class AuthError extends Error {
  readonly code: AuthErrorCode;
  /** MSAL's or Office's own error code, e.g. "consent_required", 12009. */
  readonly detail?: string;
  constructor(
    code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: string }
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AuthError";
    this.code = code;
    this.detail = options?.detail;
  }
}
