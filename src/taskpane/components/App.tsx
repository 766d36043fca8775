// The pane: header, target, a whole-pane drop zone with "Browse files", notices, one row per file,
// total progress with "Retry all" / "Cancel all", and a polite live region for announcements.
import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowUpload24Regular } from "@fluentui/react-icons";
import { useRef, useState, type DragEvent } from "react";
import { useStore, useStrings, usePaneState } from "../context";
import { format, pluralKey, type Strings } from "../locales";
import type { TargetErrorCode } from "../store/pane-store";
import { Header } from "./Header";
import { Notices } from "./Notices";
import { FileListSlot, ShareSettingsSlot, TotalBarSlot } from "./ChunkSlots";
import { TargetInfo } from "./TargetInfo";

const useStyles = makeStyles({
  root: {
    position: "relative",
    minHeight: "100vh",
    boxSizing: "border-box",
    display: "flex",
    flexDirection: "column",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    minWidth: 0,
  },
  body: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalM,
    paddingInline: tokens.spacingHorizontalL,
    paddingBottom: tokens.spacingVerticalL,
    minWidth: 0,
  },
  drop: {
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    textAlign: "center",
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalL,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  dropIcon: { fontSize: "32px", color: tokens.colorBrandForeground1 },
  // The hint wraps at 280 px: its lines stay centred under the icon, like the button below them.
  dropText: { textAlign: "center", maxWidth: "100%" },
  muted: { color: tokens.colorNeutralForeground2 },
  overlay: {
    position: "absolute",
    inset: 0,
    display: "flex",
    alignItems: "center",
    justifyContent: "center",
    backgroundColor: tokens.colorBrandBackground2,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}`,
    color: tokens.colorBrandForeground2,
    zIndex: 1,
    pointerEvents: "none",
  },
  list: { listStyleType: "none", margin: 0, padding: 0 },
  hidden: { display: "none" },
  visuallyHidden: {
    position: "absolute",
    width: "1px",
    height: "1px",
    margin: "-1px",
    overflow: "hidden",
    clip: "rect(0 0 0 0)",
    whiteSpace: "nowrap",
  },
});

export function App() {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const status = usePaneState((s) => s.status);
  // While the meeting-save question waits for the user, the pane is waiting for them, not Outlook.
  const asking = usePaneState((s) => s.confirmingMeetingSave);
  const [dragDepth, setDragDepth] = useState(0);
  const ready = status === "ready";

  const hasFiles = (event: DragEvent) =>
    Array.from(event.dataTransfer?.types ?? []).includes("Files");
  const dropHandlers = ready
    ? {
        onDragEnter: (event: DragEvent) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          setDragDepth((depth) => depth + 1);
        },
        onDragOver: (event: DragEvent) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
        },
        onDragLeave: () => setDragDepth((depth) => Math.max(0, depth - 1)),
        onDrop: (event: DragEvent) => {
          event.preventDefault();
          setDragDepth(0);
          store.addFiles(event.dataTransfer.files);
        },
      }
    : {};

  return (
    <div className={styles.root} {...dropHandlers} data-testid="pane" data-status={status}>
      <Header title={strings.paneTitle} />
      <main className={styles.body}>
        <TargetInfo />
        {status === "loading" && !asking && <Spinner size="small" label={strings.loading} />}
        {status === "error" && <TargetError />}
        {ready && <DropZone />}
        <Notices />
        {ready && <FileListSlot className={styles.list} />}
        {ready && <TotalBarSlot />}
        {ready && <ShareSettingsSlot />}
      </main>
      {dragDepth > 0 && (
        <div className={styles.overlay} aria-hidden="true">
          <Body1>{strings.dragOverlay}</Body1>
        </div>
      )}
      <Announcer className={styles.visuallyHidden} />
    </div>
  );
}

function targetErrorText(strings: Strings, code: TargetErrorCode | undefined) {
  switch (code) {
    case "read-mode":
      return strings.targetReadMode;
    case "item-id-unavailable":
      return strings.targetNoId;
    case "meeting-save-declined":
      return strings.targetMeetingDeclined;
    default:
      return strings.targetFailed;
  }
}

function TargetError() {
  const strings = useStrings();
  const store = useStore();
  const code = usePaneState((s) => s.targetError);
  return (
    <MessageBar intent="error" layout="multiline" data-testid="target-error">
      <MessageBarBody>{targetErrorText(strings, code)}</MessageBarBody>
      {code === "meeting-save-declined" && (
        <MessageBarActions>
          <Button onClick={() => void store.start()} data-testid="ask-again">
            {strings.askAgain}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

function DropZone() {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className={styles.drop} aria-label={strings.dropHere}>
      <ArrowUpload24Regular className={styles.dropIcon} aria-hidden="true" />
      <Body1 className={styles.dropText} data-testid="drop-hint">
        {strings.dropHint}
      </Body1>
      <Button appearance="primary" onClick={() => input.current?.click()} data-testid="browse">
        {strings.browseFiles}
      </Button>
      <Caption1 className={mergeClasses(styles.muted, styles.dropText)}>
        {strings.limitHint}
      </Caption1>
      <input
        ref={input}
        type="file"
        multiple
        className={styles.hidden}
        tabIndex={-1}
        aria-hidden="true"
        data-testid="browse-input"
        onChange={(event) => {
          const files = event.currentTarget.files;
          if (files && files.length > 0) store.addFiles(Array.from(files));
          // Allow picking the same file again after a cancel.
          event.currentTarget.value = "";
        }}
      />
    </section>
  );
}

/** aria-live polite: attach and failure are announced without moving focus. */
function Announcer({ className }: { className: string }) {
  const strings = useStrings();
  const announcement = usePaneState((s) => s.announcement);
  return (
    <div
      className={mergeClasses(className)}
      aria-live="polite"
      aria-atomic="true"
      data-testid="announcer"
    >
      {announcement && (
        <span key={announcement.seq}>
          {format(
            strings[pluralKey(strings, announcement.key, Number(announcement.values.count))],
            announcement.values
          )}
        </span>
      )}
    </div>
  );
}
