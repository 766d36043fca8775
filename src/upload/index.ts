// Public surface of the upload engine (docs/CONTRACTS.md "Upload engine").
export * from "./types";
export * from "./errors";
export { attachFile } from "./attach";
export { DEFAULT_UPLOAD_OPTIONS, DEFAULT_CHUNK_SIZE, resolveOptions } from "./options";
export {
  chooseRoute,
  smallFileBodyLength,
  SMALL_FILE_LIMIT,
  REQUEST_BODY_LIMIT,
  MAX_ATTACHMENT_SIZE,
} from "./routing";
export { canResume, createResumeRecord, fingerprintMatches } from "./resume";
export { fetchTransport, xhrTransport, discardSession } from "./transport";
export { parseRetryAfter, retryDelay, RETRY_STATUSES } from "./retry";
export { attachmentIdFromLocation, lowestExpectedStart, parseSessionStatus } from "./protocol";
export { attachmentsUrl } from "./graph";
export { UploadQueue, canRetryFile } from "./queue";
export type { QueueFileState, QueueState, QueueEvents, UploadQueueOptions } from "./queue";
