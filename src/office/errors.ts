// One typed error family for everything the Outlook adapters can refuse or fail at. The task pane
// maps `code` to a localized message; `message` is an English fallback for logs and the CLI.

export type OutlookErrorCode =
  | "read-mode" // the pane was opened on an item the user is reading, not composing
  | "item-id-unavailable" // Outlook gave no id for the item, even after saving and retrying
  | "meeting-save-declined" // the user did not agree to save a meeting with attendees
  | "office-call-failed" // an Office.js callback reported failure
  | "link-not-inserted" // the file was shared, but Outlook did not take its link into the body
  | "setting-not-saved"; // a per-user setting could not be stored (it still applies until the pane closes)

export class OutlookError extends Error {
  readonly code: OutlookErrorCode;
  constructor(code: OutlookErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Graph can only add attachments to an item being composed; read mode has nothing to attach to. */
export class ReadModeError extends OutlookError {
  constructor() {
    super(
      "read-mode",
      "Large Attach works on a message or meeting you are writing. Open a new message, a reply, or a meeting you organize, then open the add-in there."
    );
  }
}

export class ItemIdUnavailableError extends OutlookError {
  readonly attempts: number;
  constructor(attempts: number, options?: { cause?: unknown }) {
    super(
      "item-id-unavailable",
      `Outlook did not give an id for this item after saving it (${attempts} attempts). Close the add-in and open it again; if that does not help, close the draft and reopen it from Drafts.`,
      options
    );
    this.attempts = attempts;
  }
}

export class MeetingSaveDeclinedError extends OutlookError {
  constructor() {
    super(
      "meeting-save-declined",
      "The meeting was not saved, so nothing was attached. Saving a meeting with attendees can send them an update."
    );
  }
}

/** An Office.js async call that reported `status: "failed"`; `officeCode` is Office's numeric or named error code. */
export class OfficeCallError extends OutlookError {
  readonly officeCode: number | string | undefined;
  readonly officeName: string | undefined;
  constructor(
    call: string,
    error: { code?: number | string; name?: string; message?: string } | undefined
  ) {
    super(
      "office-call-failed",
      `${call} failed: ${error?.name ?? "unknown"} (${error?.code ?? "?"}) ${error?.message ?? ""}`.trim()
    );
    this.officeCode = error?.code;
    this.officeName = error?.name;
  }
}

/** Why a shared file's link is not in the body: the client has no body API, the URL is not a web link, or Office refused. */
export type LinkInsertFailure = "unsupported" | "unsafe-url" | "office";

/**
 * The file is in OneDrive and shared, but its link could not be put into the message. The pane still holds the
 * link (copy button), so the sentence says what the user can do.
 */
export class LinkInsertError extends OutlookError {
  readonly reason: LinkInsertFailure;
  readonly officeCode: number | string | undefined;
  readonly officeName: string | undefined;
  constructor(reason: LinkInsertFailure, options?: { cause?: unknown }) {
    super(
      "link-not-inserted",
      reason === "unsafe-url"
        ? "The shared file's address is not a web link, so it was not put into the message."
        : "The file is shared, but Outlook did not let Large Attach add its link to the message. Copy the link and paste it into the message.",
      options
    );
    this.reason = reason;
    const office = options?.cause instanceof OfficeCallError ? options.cause : undefined;
    this.officeCode = office?.officeCode;
    this.officeName = office?.officeName;
  }
}

export class SettingNotSavedError extends OutlookError {
  constructor(options?: { cause?: unknown }) {
    super(
      "setting-not-saved",
      "Your choice applies until Large Attach is closed, but it could not be saved for next time.",
      options
    );
  }
}
