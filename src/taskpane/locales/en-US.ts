// Every user-facing string of the task pane, in one place (after Uppy's locale.ts). Placeholders are
// written {name} and filled by `format()` in ./index.ts; values are always inserted as text.
export const enUS = {
  /** BCP 47 tag for Intl (plural rules, numbers). */
  locale: "en-US",
  paneTitle: "Large Attach",
  loading: "Getting the open item from Outlook…",
  attachingTo: "Attaching to:",
  targetMessage: "Message",
  targetEvent: "Meeting",
  noSubject: "(no subject)",
  sharedMailbox: "Shared mailbox: {mailbox}",
  dropHere: "Drop files here",
  dropHint: "Drop files anywhere in this pane, or",
  browseFiles: "Browse files",
  limitHint: "Up to 150\u00a0MB per file.",
  dragOverlay: "Release to attach",
  // Refusals on pick
  tooLarge:
    "“{name}” ({size}) is over the 150\u00a0MB limit for Outlook attachments — share it as a OneDrive link instead.",
  overTenantLimit:
    "“{name}” would bring this item to about {projected}, over your organization's message size limit of {limit}. Share it as a OneDrive link instead.",
  overLearnedLimit:
    "“{name}” would bring this item to about {projected}. Outlook refused a smaller total earlier, so your organization's limit is lower than {limit}. An administrator can raise it; meanwhile share the file as a OneDrive link.",
  duplicate: "“{name}” is already in the list, so it was not added again.",
  emptyName: "A file without a name cannot be attached.",
  invalidSize: "“{name}” cannot be attached: its size cannot be read.",
  dismiss: "Dismiss",
  // Rows
  routePost: "Single request",
  routeSession: "Upload session",
  routeForm: "Compose form",
  phaseQueued: "Queued",
  phaseWaitingForItem: "Waiting for Outlook to sync the draft…",
  phaseCreatingSession: "Starting…",
  phaseUploading: "Uploading",
  phaseRetrying: "Connection problem — retrying in {seconds}\u00a0s",
  phaseRetryingNow: "Connection problem — retrying…",
  phaseStalledRetrying:
    "No answer from the server for {silent}\u00a0s. Reconnecting in {seconds}\u00a0s…",
  phaseStalledRetryingNow: "No answer from the server for {silent}\u00a0s. Reconnecting…",
  phasePaused: "Paused",
  phaseOffline: "Offline — will continue when you are back online",
  phaseVerifying: "Finishing…",
  phaseAttached: "Attached",
  phaseAttachedOnServer: "Attached to the draft on the server",
  phaseAddingToMessage: "Adding to the message…",
  phaseAddedToMessage: "Added to the message",
  phaseFailed: "Failed",
  phaseCancelled: "Cancelled",
  percent: "{percent}%",
  // U+2060 (word joiner) after the slash: "MB/s" never breaks in two.
  speed: "{speed}/\u2060s",
  eta: "about {time} left",
  progressLabel: "Upload progress of {name}",
  pause: "Pause",
  resume: "Resume",
  cancel: "Cancel",
  retry: "Retry",
  remove: "Remove",
  actionsFor: "{action} {name}",
  details: "Details",
  detailStatus: "HTTP status",
  detailCode: "Error code",
  detailRequestId: "Request id",
  detailDate: "Date",
  detailMessage: "Message",
  detailRoute: "Sent as",
  // Errors in plain words: a short line for the row, the explanation under Details
  errorTenantLimitTitle: "Over your organization's message size limit.",
  errorSharedMailboxTitle: "Large attachments are not allowed in this shared mailbox.",
  errorItemNotFoundTitle: "The draft is not on the server yet.",
  errorNetworkTitle: "The connection was lost.",
  errorCodeLoadTitle: "Part of the add-in could not be loaded.",
  errorSessionExpiredTitle: "The upload session expired.",
  errorFileReadTitle: "The file can no longer be read.",
  errorAuthTitle: "You could not be signed in.",
  errorServerTitle: "The server refused the upload ({status}).",
  errorUnknownTitle: "Something went wrong.",
  errorUploadHostTitle: "Stopped: the server named an unexpected upload host.",
  errorTenantLimit:
    "Outlook refused the file: this item would exceed your organization's maximum message size. An administrator can raise the limit (up to 150\u00a0MB); meanwhile share the file as a OneDrive link.",
  errorSharedMailbox:
    "Microsoft Graph does not allow large attachments to items in a shared mailbox with your permissions. Attach it from the mailbox owner's account, or share a OneDrive link.",
  errorItemNotFound:
    "Outlook has not synced this draft to the server yet. Wait a moment and select Retry.",
  errorNetwork:
    "The connection was lost and did not come back in time. Check your network and select Retry.",
  errorCodeLoad:
    "The add-in's code for sharing files as links did not arrive. Check your network and select Retry.",
  errorSessionExpired: "The upload session expired. Select Retry to start it again.",
  errorFileRead:
    "The file was changed, moved or deleted after you picked it. Remove this row and pick the file again.",
  errorAuth: "You could not be signed in to Microsoft 365. Select Retry to try again.",
  errorSharedMailboxLarge:
    "“{name}” was not uploaded: it is 3 MB or more and this item is in a shared mailbox, where Microsoft Graph refuses large attachments with your permissions (a known Graph issue). Attach it from the mailbox owner's account, or share a OneDrive link.",
  errorAttachmentLost:
    "“{name}” is no longer on the draft: the compose window saved its own copy over it. Attach it again before you send.",
  errorServer: "The server refused the upload ({status}). Select Retry, or see Details.",
  errorServerFinal:
    "The server refused the upload ({status}); trying again would not change that. The details below help an administrator.",
  errorUnknown: "Something went wrong. Select Retry, or see Details.",
  errorUploadHost:
    "Microsoft Graph pointed this upload at {host}, which is not an Outlook upload host, so nothing was sent there. Trying again would not change that; the details below help an administrator.",
  errorUnknownFinal:
    "Something went wrong that trying again would not fix. The details below help an administrator.",
  // The OneDrive route: files the item cannot take, shared as a link in the message
  shareAsLink: "Share as a link",
  shareInstead: "Share as a link instead",
  shareReasonTooLarge:
    "Over the 150\u00a0MB limit for attachments, so it is shared as a OneDrive link.",
  shareReasonOverLimit:
    "Over your organization's message size limit, so it is shared as a OneDrive link.",
  shareReasonSizeExceeded:
    "Outlook refused it as over your organization's message size limit, so it is shared as a OneDrive link.",
  shareReasonSharedMailbox:
    "This shared mailbox refuses large attachments, so it is shared as a link from your OneDrive.",
  phaseUploadingToDrive: "Uploading to OneDrive",
  phaseLinking: "Creating the sharing link…",
  phaseSharedInserting: "Shared as a link · adding it to the message…",
  phaseShared: "Shared as a link · added to the message",
  phaseSharedNotInserted:
    "Shared as a link, but it could not be added to the message: copy the link and paste it.",
  scopeOrganization: "people in your organization",
  scopeUsers: "specific people",
  scopeAnonymous: "anyone with the link",
  scopeFallback:
    "Your organization does not allow links for {requested}; this link works for {scope}.",
  linkFor: "Link for {scope}",
  copyLink: "Copy link",
  linkCopied: "Link copied",
  copyFailed: "Could not copy: select the address and copy it.",
  routeDrive: "OneDrive link",
  errorDriveFullTitle: "Your OneDrive is full.",
  errorDriveFull:
    "The file did not fit in your OneDrive (507). Free up space in OneDrive or ask an administrator for more, then remove this row and pick the file again.",
  errorLinkRefusedTitle: "Your organization allows no sharing link for this file.",
  errorLinkRefused:
    "“{name}” was uploaded to your OneDrive, but your organization refused every kind of link that may be used ({scopes}). Share it from OneDrive, or ask an administrator which links are allowed.",
  shareSettingsTitle: "Files that cannot be attached",
  shareSettingAsk: "Ask each time",
  shareSettingAlways: "Always share them as a OneDrive link",
  linkTypeLabel: "People with the link can",
  linkTypeView: "View",
  linkTypeEdit: "Edit",
  rowsLoadFailed:
    "Part of the add-in could not be loaded, so your files' progress cannot be shown. Check your network and select Retry.",
  shareLoadFailed:
    "The settings for sharing files as OneDrive links could not be loaded. Check your network and select Retry.",
  totalFilesShared: "{done} of {count} attached or shared",
  resumeOfferDrive:
    "“{name}” ({size}) was {percent}% uploaded to OneDrive. Pick the same file to continue.",
  announceShared: "{name} shared as a link and added to the message.",
  announceSharedNotInserted: "{name} shared as a link; the link could not be added to the message.",
  // Verification after attach
  verifyChecking: "Checking that the message shows it…",
  verifyVisible: "Shown in the message.",
  verifyCheckingEvent: "Checking that the meeting shows it…",
  verifyVisibleEvent: "Shown in the meeting.",
  verifyNotYetVisible:
    "The compose window does not list it yet. Large Attach checks that it is still on the draft when you select Send. To see it, close the draft and reopen it from Drafts.",
  verifyNoSendGuard:
    "The compose window does not list it yet, and this version of Outlook cannot check it at Send. Keep this pane open: it warns you if the file disappears. To see it, close the draft and reopen it from Drafts.",
  // Totals
  totalProgress: "Total: {sent} of {total}",
  totalFiles: "{done} of {count} attached",
  retryAll: "Retry all",
  cancelAll: "Cancel all",
  clearDone: "Clear finished",
  // Offline
  offlineNotice:
    "You are offline. Uploads are paused and will continue when the connection is back.",
  // Resume after reload
  resumeTitle: "Unfinished uploads",
  resumeOffer: "“{name}” ({size}) was {percent}% uploaded. Pick the same file to continue.",
  resumeExpired: "The upload of “{name}” ({size}) expired. Pick the file again to start over.",
  resumePick: "Pick file to resume",
  resumeStartOver: "Pick file to start over",
  resumeDiscard: "Discard",
  bidiWarning:
    "This name contains characters that change the direction of text: its real extension may not be what it looks like.",
  resumeMismatch: "“{name}” is not the same file as “{expected}” (name, size and date must match).",
  // Leaving
  beforeUnload: "Uploads are still running. Leave anyway?",
  // Meeting save
  confirmMeetingSave:
    "To attach files, the meeting has to be saved first. If it has attendees they may receive an update.",
  confirmSave: "Save meeting",
  // Compose-target errors
  targetReadMode:
    "Large Attach works on a message or meeting you are writing. Open a new message, a reply, or a meeting you organize.",
  targetNoId:
    "Outlook did not give an id for this item. Close the add-in and open it again; if that does not help, close the draft and reopen it from Drafts.",
  targetMeetingDeclined: "The meeting was not saved, so nothing can be attached yet.",
  askAgain: "Ask again",
  targetFailed: "Outlook could not tell which item is open. Close and reopen the add-in.",
  // Announcements (aria-live)
  announceAttached: "{name} attached.",
  announceFailed: "{name} failed to attach.",
  announceLost: "{name} is no longer attached to the draft. Attach it again.",
  announceAdded_one: "{count} file added.",
  announceAdded_other: "{count} files added.",
  announceOffline: "Offline. Uploads paused.",
  announceOnline: "Back online. Uploads resumed.",
  // Units
  // Units: U+00A0 (no-break space) keeps each number on the line of its unit.
  bytes: "{n}\u00a0B",
  exactBytes: "{n}\u00a0bytes",
  kilobytes: "{n}\u00a0KB",
  megabytes: "{n}\u00a0MB",
  seconds: "{n}\u00a0s",
  minutes: "{n}\u00a0min",
  hours: "{n}\u00a0h",
};

export type Strings = { readonly [K in keyof typeof enUS]: string };
