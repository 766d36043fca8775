// Outlook adapters: the only code besides the task pane's entry point that touches Office.*.
export { createOutlookHost, relativeLuminance, type OutlookHost } from "./host";
export { ewsToRestId, type ComposeTarget, type ComposeTargetRequest } from "./compose-target";
export {
  createComposeFormRoute,
  formClient,
  FormRouteRefusal,
  FORM_FILE_MAX_BYTES,
  WEB_ITEM_ATTACHMENTS_MAX_BYTES,
  SHARED_MAILBOX_GRAPH_MAX_BYTES,
  type ComposeFormRoute,
  type FormPlan,
} from "./form-route";
export {
  ATTACHED_RECORD_KEY,
  canRecordAttachments,
  parseRecord,
  readAttachedRecord,
  recordAttached,
  type AttachedFile,
  type AttachedRecord,
} from "./attached-record";
export type { AttachmentRef, AttachmentVisibility } from "./attachments";
export { DEFAULT_OUTLOOK_HOST_OPTIONS, type OutlookHostOptions } from "./options";
export { asyncResultToPromise } from "./async-result";
export {
  insertLinkIntoBody,
  linkMarkup,
  formatFileSize,
  type BodyCoercion,
  type InsertedLink,
  type LinkToInsert,
} from "./body";
export {
  DEFAULT_SHARE_PREFERENCES,
  SHARE_PREFERENCES_KEY,
  loadSharePreferences,
  loadShareSetting,
  parseSharePreferences,
  saveSharePreferences,
  saveShareSetting,
  type ShareLinkType,
  type SharePreferences,
  type ShareSetting,
} from "./share-settings";
export {
  OutlookError,
  ReadModeError,
  ItemIdUnavailableError,
  MeetingSaveDeclinedError,
  OfficeCallError,
  LinkInsertError,
  SettingNotSavedError,
  type LinkInsertFailure,
  type OutlookErrorCode,
} from "./errors";
