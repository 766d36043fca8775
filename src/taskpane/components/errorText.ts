// An engine error in plain words — a short line for the row, the explanation under Details — and
// the details a support person needs: status, Graph code, request id, and nothing else (no token,
// no upload URL: engine messages are already redacted, and we do not show them beyond the code).
import {
  DriveFullError,
  FileReadError,
  LinkRefusedError,
  HttpError,
  MessageSizeExceededError,
  ItemNotFoundError,
  NetworkError,
  ProtocolError,
  SessionExpiredError,
  RestrictionError,
  SharedMailboxForbiddenError,
  canRetry,
} from "../../upload/errors";
import type { UploadRoute } from "../../upload/types";
import { format, type Strings } from "../locales";

export interface ErrorText {
  /** One line, two at most at 280 px: what happened. */
  summary: string;
  /** What to do about it, shown under Details. */
  help: string;
}

export function errorText(strings: Strings, error: unknown, name = ""): ErrorText {
  const pair = (summary: string, help: string) => ({ summary, help });
  // Refused before upload: 3 MB or more in a shared mailbox, where Graph's createUploadSession answers 403.
  if (error instanceof RestrictionError && error.reason === "shared-mailbox")
    return pair(strings.errorSharedMailboxTitle, format(strings.errorSharedMailboxLarge, { name }));
  if (error instanceof DriveFullError)
    return pair(strings.errorDriveFullTitle, strings.errorDriveFull);
  if (error instanceof LinkRefusedError)
    return pair(
      strings.errorLinkRefusedTitle,
      format(strings.errorLinkRefused, {
        name: error.storedName,
        scopes: error.triedScopes.map((scope) => scopeWords(strings, scope)).join(", "),
      })
    );
  if (error instanceof MessageSizeExceededError)
    return pair(strings.errorTenantLimitTitle, strings.errorTenantLimit);
  if (error instanceof SharedMailboxForbiddenError)
    return pair(strings.errorSharedMailboxTitle, strings.errorSharedMailbox);
  if (error instanceof ItemNotFoundError)
    return pair(strings.errorItemNotFoundTitle, strings.errorItemNotFound);
  if (error instanceof SessionExpiredError)
    return pair(strings.errorSessionExpiredTitle, strings.errorSessionExpired);
  if (error instanceof FileReadError)
    return pair(strings.errorFileReadTitle, strings.errorFileRead);
  // The queue's drive route comes in the pane's "share" chunk; webpack's ChunkLoadError when it did not arrive.
  if (
    error instanceof NetworkError &&
    (error.cause as Error | undefined)?.name === "ChunkLoadError"
  )
    return pair(strings.errorCodeLoadTitle, strings.errorCodeLoad);
  if (error instanceof NetworkError) return pair(strings.errorNetworkTitle, strings.errorNetwork);
  // Graph pointed the upload at a host that is not an upload host: named, so an administrator knows where.
  if (error instanceof ProtocolError && error.uploadHost)
    return pair(
      strings.errorUploadHostTitle,
      format(strings.errorUploadHost, { host: error.uploadHost })
    );
  // The advice to select Retry only where the pane offers it.
  const retry = canRetry(error);
  if (error instanceof HttpError) {
    if (error.status === 401) return pair(strings.errorAuthTitle, strings.errorAuth);
    const status = { status: error.status };
    return pair(
      format(strings.errorServerTitle, status),
      format(retry ? strings.errorServer : strings.errorServerFinal, status)
    );
  }
  return pair(strings.errorUnknownTitle, retry ? strings.errorUnknown : strings.errorUnknownFinal);
}

/** Who a link of this scope works for, in words ("people in your organization"). */
export function scopeWords(strings: Strings, scope: string): string {
  if (scope === "organization") return strings.scopeOrganization;
  if (scope === "users") return strings.scopeUsers;
  if (scope === "anonymous") return strings.scopeAnonymous;
  return scope;
}

export interface ErrorDetail {
  label: string;
  value: string;
  /** An identifier (code, id): shown in monospace, broken only at its word boundaries. */
  code?: boolean;
}

export function errorDetails(strings: Strings, error: unknown, route?: UploadRoute): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (error instanceof HttpError) {
    details.push({ label: strings.detailStatus, value: String(error.status) });
    if (error.code) details.push({ label: strings.detailCode, value: error.code, code: true });
    if (error.requestId)
      details.push({ label: strings.detailRequestId, value: error.requestId, code: true });
    if (error.date) details.push({ label: strings.detailDate, value: error.date, code: true });
  } else if (error instanceof Error) {
    details.push({ label: strings.detailCode, value: error.name, code: true });
  }
  if (route) {
    const how = {
      form: strings.routeForm,
      post: strings.routePost,
      session: strings.routeSession,
      drive: strings.routeDrive,
    }[route];
    details.push({ label: strings.detailRoute, value: how });
  }
  return details;
}

/**
 * Where an identifier may wrap: between the words of "ErrorMessageSizeExceeded", after the dashes
 * and dots of a request id — never inside a word.
 */
export function wrapPoints(value: string): string[] {
  return value.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[-_./:])/).filter(Boolean);
}
