// Public surface of the upload engine (docs/CONTRACTS.md "Upload engine").
export * from "./types";
export * from "./errors";
export { attachFile } from "./attach";
export { shareFile, scopesToTry, type ShareOptions } from "./drive";
export {
  DRIVE_RANGE_RULES,
  interpretDriveAnswer,
  adaptiveDriveRangeSize,
  type RangeSample,
  driveErrorFrom,
  driveItemOf,
} from "./drive-rules";
export {
  DEFAULT_UPLOAD_OPTIONS,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_DRIVE_CHUNK_SIZE,
  DEFAULT_SHARE_OPTIONS,
  DRIVE_RANGE_UNIT,
  DRIVE_RANGE_LIMIT,
  DRIVE_RANGE_MAX,
  DRIVE_RANGE_TARGET_MS,
  DEFAULT_UPLOAD_ORIGINS,
  resolveOptions,
  uploadOriginAllowed,
  withUploadOrigins,
} from "./options";
export {
  chooseRoute,
  smallFileBodyLength,
  SMALL_FILE_LIMIT,
  REQUEST_BODY_LIMIT,
  MAX_ATTACHMENT_SIZE,
  MAX_DRIVE_FILE_SIZE,
  checkDriveFile,
} from "./routing";
export {
  canResume,
  canResumeDrive,
  createDriveResumeRecord,
  createResumeRecord,
  fingerprintMatches,
} from "./resume";
export { fetchStack, xhrStack, fetchTransport, xhrTransport, discardSession } from "./transport";
export { StallError, stallWatch, type StallWatch } from "./stall";
export { Backoff, Phases } from "./backoff";
export { parseRetryAfter, retryDelay, retryWait, RETRY_STATUSES } from "./retry";
export type { RequestKind, Failure } from "./retry";
export {
  attachmentIdFromLocation,
  expectedOffsetFromError,
  interpretOutlookAnswer,
  lowestExpectedStart,
  parseSessionStatus,
  OUTLOOK_RANGE_RULES,
} from "./protocol";
export type { RangeOutcome, RangeContext, RangeRules } from "./protocol";
export { attachmentsUrl } from "./graph";
export { UploadQueue, canRetryFile, canShareFile } from "./queue";
export type {
  QueueFileState,
  QueueState,
  QueueEvents,
  UploadQueueOptions,
  QueueShareOptions,
} from "./queue";
