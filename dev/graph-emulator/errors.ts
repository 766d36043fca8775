// Errors in the Graph shape: {"error":{"code","message","innerError":{"request-id","date"}}}, with
// a request-id response header too. Each situation has one factory so a status / code pair is
// decided once (the README's behaviour table lists them all).

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** A more specific code for `innerError.code` (OneDrive nests e.g. `fragmentOverlap` under `invalidRange`). */
    readonly innerCode?: string
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export const errors = {
  unauthenticated: () =>
    new GraphError(401, "InvalidAuthenticationToken", "Access token is empty, invalid or expired."),
  expiredToken: () =>
    new GraphError(
      401,
      "InvalidAuthenticationToken",
      "Lifetime validation failed, the token is expired."
    ),
  invalidAudience: () =>
    new GraphError(
      401,
      "InvalidAudience",
      "The audience claim value is invalid. Do not send an Authorization header to the upload URL."
    ),
  badUploadToken: () =>
    new GraphError(
      401,
      "InvalidAuthenticationToken",
      "The authtoken of the upload URL is missing or invalid."
    ),
  accessDenied: () =>
    new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."),
  invalidUser: (user: string) =>
    new GraphError(404, "ErrorInvalidUser", `The requested user '${user}' is invalid.`),
  itemNotFound: () =>
    new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store."),
  resourceNotFound: (path: string) =>
    new GraphError(404, "ResourceNotFound", `Resource not found for the segment '${path}'.`),
  methodNotAllowed: () =>
    new GraphError(405, "MethodNotAllowed", "The HTTP method is not allowed on this resource."),
  badRequest: (message: string) => new GraphError(400, "BadRequest", message),
  invalidJson: () => new GraphError(400, "BadRequest", "The request body is not valid JSON."),
  bodyTooLarge: (limit: number) =>
    new GraphError(
      413,
      "RequestBodyTooLarge",
      `The request body exceeds the ${limit}-byte limit for this request.`
    ),
  sizeBelowMinimum: () =>
    new GraphError(
      400,
      "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
      "Attachment size should not be less than the minimum size. Use a single POST for files under 3 MB."
    ),
  sizeAboveMaximum: (limit: number) =>
    new GraphError(
      400,
      "ErrorAttachmentSizeLimitExceeded",
      `The attachment exceeds the maximum size of ${limit} bytes.`
    ),
  messageSizeExceeded: () =>
    new GraphError(
      413,
      "ErrorMessageSizeExceeded",
      "The message exceeds the maximum supported size."
    ),
  invalidContentRange: (detail: string) => new GraphError(400, "InvalidContentRange", detail),
  rangeOutOfOrder: (expected: number) =>
    new GraphError(
      416,
      "InvalidRange",
      `The range does not start at the next expected byte ${expected}.`
    ),
  lengthRequired: () =>
    new GraphError(411, "LengthRequired", "A Content-Length header is required."),
  lengthMismatch: (detail: string) => new GraphError(400, "ContentLengthMismatch", detail),
  rangeOverChunkCap: (cap: number) =>
    new GraphError(413, "RequestEntityTooLarge", `A range may carry at most ${cap} bytes.`),
  sessionNotFound: () =>
    new GraphError(
      404,
      "ErrorUploadSessionNotFound",
      "The upload session does not exist or was deleted."
    ),
  sessionExpired: () =>
    new GraphError(410, "ErrorUploadSessionExpired", "The upload session has expired."),
  notSupported: (what: string) =>
    new GraphError(405, "MethodNotAllowed", `${what} is not supported on the upload URL.`),
  injected: (status: number, retryAfterSeconds?: number) =>
    new GraphError(
      status,
      INJECTED_CODES[status] ?? "InjectedFault",
      `Injected fault (${status}).`,
      retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : {}
    ),
};

const INJECTED_CODES: Record<number, string> = {
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

export function errorBody(
  error: GraphError,
  requestId: string,
  clientRequestId: string,
  date: Date
): string {
  return JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        ...(error.innerCode ? { code: error.innerCode } : {}),
        date: date.toISOString().replace(/\.\d{3}Z$/, ""),
        "request-id": requestId,
        "client-request-id": clientRequestId,
      },
    },
  });
}
