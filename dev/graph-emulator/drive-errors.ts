// The OneDrive subset's errors, one factory per situation, in OneDrive's shape: one of its 15
// documented top-level codes (camelCase) with, where the docs list one, a more specific
// `innerError.code` (OneDrive errors.md, "Detailed error codes"). README "OneDrive" lists them.
import { GraphError } from "./errors";
import { DEFAULT_LIMITS } from "./limits";

export const driveErrors = {
  invalidRequest: (message: string, innerCode?: string) =>
    new GraphError(400, "invalidRequest", message, {}, innerCode),
  itemNotFound: (what = "The resource could not be found.") =>
    new GraphError(404, "itemNotFound", what),
  nameAlreadyExists: (name: string) =>
    new GraphError(
      409,
      "nameAlreadyExists",
      `An item named "${name}" already exists in this folder.`
    ),
  quotaLimitReached: () =>
    new GraphError(
      507,
      "quotaLimitReached",
      "Insufficient Space Available: the user's OneDrive is full."
    ),
  accessDenied: (message = "Access denied. You do not have permission to perform this action.") =>
    new GraphError(403, "accessDenied", message),
  scopeRefused: (scope: string) =>
    new GraphError(
      403,
      "accessDenied",
      `The sharing policy of this organization does not allow "${scope}" links.`
    ),
  sessionNotFound: () =>
    new GraphError(
      404,
      "itemNotFound",
      "The upload session does not exist, has expired or was cancelled.",
      {},
      "uploadSessionNotFound"
    ),
  badTempAuth: () =>
    new GraphError(401, "unauthenticated", "The upload URL's tempauth is missing or invalid."),
  authorizationSent: () =>
    new GraphError(
      401,
      "unauthenticated",
      "Do not send an Authorization header to the upload URL: it is pre-authenticated."
    ),
  fragmentOverlap: (expected: string) =>
    new GraphError(
      416,
      "invalidRange",
      `The uploaded fragment overlaps with data already received. Next expected ranges: ${expected}.`,
      {},
      "fragmentOverlap"
    ),
  fragmentOutOfOrder: (expected: string) =>
    new GraphError(
      416,
      "invalidRange",
      `The uploaded fragment is out of order. Next expected ranges: ${expected}.`,
      {},
      "fragmentOutOfOrder"
    ),
  totalMismatch: (total: number, expected: number) =>
    new GraphError(
      400,
      "invalidRequest",
      `The declared total size ${total} differs from the upload session's ${expected}.`,
      {},
      "fragmentLengthMismatch"
    ),
  fragmentTooLarge: () =>
    new GraphError(
      413,
      "invalidRequest",
      `A fragment must be less than 60 MiB (${DEFAULT_LIMITS.driveRangeMaxBytes} bytes).`,
      {},
      "maxFragmentLengthExceeded"
    ),
  fragmentNotAligned: (length: number) =>
    new GraphError(
      400,
      "invalidRequest",
      `Every fragment but the last must be a multiple of 320 KiB (327,680 bytes); this one has ${length}.`
    ),
  fileTooLarge: (limit: number) =>
    new GraphError(
      400,
      "invalidRequest",
      `The file exceeds the maximum size of ${limit} bytes.`,
      {},
      "maxFileSizeExceeded"
    ),
  busy: () =>
    new GraphError(
      409,
      "invalidRequest",
      "Another fragment of this upload session is being received."
    ),
  incomplete: () =>
    new GraphError(
      400,
      "invalidRequest",
      "The upload session is missing bytes; it cannot be committed yet.",
      {},
      "uploadSessionIncomplete"
    ),
  notAllowed: (what: string) =>
    new GraphError(405, "notAllowed", `${what} is not allowed on this resource.`),
};
