// The pane: header, target, a whole-pane drop zone with "Browse files", notices, one row per file,
// total progress with "Retry all" / "Cancel all", and a polite live region for announcements.
import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Spinner,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowUpload24Regular } from "@fluentui/react-icons";
import { useRef, useState, type DragEvent } from "react";
import { canRetryFile } from "../../upload/queue";
import { useStore, useStrings, usePaneState } from "../context";
import { format, formatBytes, type Strings } from "../locales";
import type { TargetErrorCode } from "../store/pane-store";
import { FileRow } from "./FileRow";
import { Header } from "./Header";
import { Notices } from "./Notices";
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
  total: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  totalActions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
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
        {status === "loading" && <Spinner size="small" label={strings.loading} />}
        {status === "error" && <TargetError />}
        {ready && <DropZone />}
        <Notices />
        {ready && <FileList />}
        {ready && <TotalBar />}
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
  const code = usePaneState((s) => s.targetError);
  return (
    <MessageBar intent="error" layout="multiline" data-testid="target-error">
      <MessageBarBody>{targetErrorText(strings, code)}</MessageBarBody>
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
      <Body1>{strings.dropHint}</Body1>
      <Button appearance="primary" onClick={() => input.current?.click()} data-testid="browse">
        {strings.browseFiles}
      </Button>
      <Caption1 className={styles.muted}>{strings.limitHint}</Caption1>
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

function FileList() {
  const styles = useStyles();
  const files = usePaneState((s) => s.queue.files);
  if (files.length === 0) return null;
  return (
    <ul className={styles.list} data-testid="file-list">
      {files.map((file) => (
        <FileRow key={file.id} file={file} />
      ))}
    </ul>
  );
}

function TotalBar() {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const queue = usePaneState((s) => s.queue);
  if (queue.files.length === 0) return null;
  const { bytesSent, bytesTotal } = queue.total;
  const counted = queue.files.filter((f) => f.phase !== "cancelled");
  const attached = counted.filter((f) => f.phase === "attached").length;
  const allDone = counted.length > 0 && attached === counted.length;
  const fraction = allDone ? 1 : bytesTotal > 0 ? Math.min(1, bytesSent / bytesTotal) : 0;
  const canRetry = queue.files.some(canRetryFile);
  const canCancel = queue.files.some((f) => !["attached", "failed", "cancelled"].includes(f.phase));
  const canClear = queue.files.some((f) => f.phase === "attached" || f.phase === "cancelled");
  return (
    <section
      className={styles.total}
      aria-label={format(strings.totalFiles, { done: attached, count: counted.length })}
    >
      <Caption1 data-testid="total-text">
        {format(strings.totalProgress, {
          sent: formatBytes(strings, allDone ? bytesTotal : bytesSent),
          total: formatBytes(strings, bytesTotal),
        })}
        {" · "}
        {format(strings.totalFiles, { done: attached, count: counted.length })}
      </Caption1>
      <ProgressBar
        value={fraction}
        max={1}
        aria-label={strings.totalProgress.replace(/\{.*$/, "").trim()}
      />
      <div className={styles.totalActions}>
        {canRetry && (
          <Button onClick={store.retryAll} data-testid="retry-all">
            {strings.retryAll}
          </Button>
        )}
        {canCancel && (
          <Button onClick={store.cancelAll} data-testid="cancel-all">
            {strings.cancelAll}
          </Button>
        )}
        {canClear && (
          <Button appearance="subtle" onClick={store.clearFinished} data-testid="clear-finished">
            {strings.clearDone}
          </Button>
        )}
      </div>
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
        <span key={announcement.seq}>{format(strings[announcement.key], announcement.values)}</span>
      )}
    </div>
  );
}
