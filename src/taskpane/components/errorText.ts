// An engine error in plain words, and the details a support person needs — status, Graph code,
// request id — and nothing else: no token, no upload URL (engine messages are already redacted,
// and we do not show them beyond the code anyway).
import {
  FileReadError,
  HttpError,
  MessageSizeExceededError,
  ItemNotFoundError,
  NetworkError,
  RestrictionError,
  SessionExpiredError,
  SharedMailboxForbiddenError,
} from "../../upload/errors";
import { format, type Strings } from "../locales";

export function errorMessage(strings: Strings, error: unknown, name = ""): string {
  if (error instanceof RestrictionError && error.reason === "shared-mailbox")
    return format(strings.errorSharedMailboxLarge, { name });
  if (error instanceof MessageSizeExceededError) return strings.errorTenantLimit;
  if (error instanceof SharedMailboxForbiddenError) return strings.errorSharedMailbox;
  if (error instanceof ItemNotFoundError) return strings.errorItemNotFound;
  if (error instanceof SessionExpiredError) return strings.errorSessionExpired;
  if (error instanceof FileReadError) return strings.errorFileRead;
  if (error instanceof NetworkError) return strings.errorNetwork;
  if (error instanceof HttpError) {
    return error.status === 401
      ? strings.errorAuth
      : format(strings.errorServer, { status: error.status });
  }
  return strings.errorUnknown;
}

export interface ErrorDetail {
  label: string;
  value: string;
}

export function errorDetails(strings: Strings, error: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (error instanceof HttpError) {
    details.push({ label: strings.detailStatus, value: String(error.status) });
    if (error.code) details.push({ label: strings.detailCode, value: error.code });
    if (error.requestId) details.push({ label: strings.detailRequestId, value: error.requestId });
    if (error.date) details.push({ label: strings.detailDate, value: error.date });
  } else if (error instanceof Error) {
    details.push({ label: strings.detailCode, value: error.name });
  }
  return details;
}
