// Outlook adapters: the only code besides the task pane's entry point that touches Office.*.
export { createOutlookHost, relativeLuminance, type OutlookHost } from "./host";
export type { ComposeTarget, ComposeTargetRequest } from "./compose-target";
export type { AttachmentRef, AttachmentVisibility } from "./attachments";
export { DEFAULT_OUTLOOK_HOST_OPTIONS, type OutlookHostOptions } from "./options";
export { asyncResultToPromise } from "./async-result";
export {
  OutlookError,
  ReadModeError,
  ItemIdUnavailableError,
  MeetingSaveDeclinedError,
  OfficeCallError,
  type OutlookErrorCode,
} from "./errors";
