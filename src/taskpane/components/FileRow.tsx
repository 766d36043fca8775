// One row per file: icon, name (truncated in the middle, extension kept), size, a ProgressBar inside
// a Field, percent, speed, time left, state, actions, and for failures a "Details" disclosure.
import {
  Button,
  Caption1,
  Field,
  ProgressBar,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import {
  ArrowClockwise20Regular,
  Delete20Regular,
  Dismiss20Regular,
  Pause20Regular,
  Play20Regular,
} from "@fluentui/react-icons";
import {
  memo,
  useLayoutEffect,
  useRef,
  type FocusEvent,
  type ReactElement,
  type RefObject,
} from "react";
import { canRetryFile, type QueueFileState } from "../../upload/queue";
import { useStore, useStrings, usePaneState } from "../context";
import { format, formatBytes, formatDuration, type Strings } from "../locales";
import { isRunning, type LinkPlacement, type Verification } from "../store/pane-store";
import type { FileProgressView } from "../store/progress";
import { errorText } from "./errorText";
import { ErrorDetails } from "./ErrorDetails";
import { FileName } from "./FileName";
import { hasBidiControls } from "./bidi";
import { FileTypeIcon } from "./fileIcon";
import { ShareInstead, ShareReasonLine, sharedText } from "./ShareParts";
import { SharedLinkSlot } from "./ChunkSlots";
import { useSecondTicks } from "./useSecondTicks";

const useStyles = makeStyles({
  // No width transition: with progress published several times a second, Fluent's 0.3 s
  // transition never ended and the pane laid out and painted every frame of an upload (half its
  // main thread in Chromium, bench/analysis.md 2026-12-02). Four steps a second are smooth enough.
  bar: { transitionDuration: "0s" },
  row: {
    display: "grid",
    gridTemplateColumns: "auto minmax(0, 1fr) auto",
    columnGap: tokens.spacingHorizontalS,
    alignItems: "start",
    paddingBlock: tokens.spacingVerticalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  icon: { marginTop: "2px", color: tokens.colorNeutralForeground2 },
  main: {
    minWidth: 0,
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXXS,
  },
  titleLine: {
    display: "flex",
    columnGap: tokens.spacingHorizontalS,
    alignItems: "baseline",
    minWidth: 0,
  },
  nameBox: { display: "flex", minWidth: 0, flexShrink: 1 },
  size: { flexShrink: 0, whiteSpace: "nowrap", color: tokens.colorNeutralForeground2 },
  meta: {
    color: tokens.colorNeutralForeground2,
    display: "flex",
    flexWrap: "wrap",
    columnGap: tokens.spacingHorizontalS,
  },
  measure: { whiteSpace: "nowrap" },
  // A long error keeps to two lines in the row; the whole explanation is under Details.
  status: {
    // Inline, so it stays on the line of the Field's status icon.
    display: "-webkit-inline-box",
    WebkitLineClamp: "2",
    WebkitBoxOrient: "vertical",
    overflow: "hidden",
  },
  neutral: { color: tokens.colorNeutralForeground2 },
  actions: { display: "flex", flexWrap: "nowrap" },
  guidance: { color: tokens.colorPaletteMarigoldForeground2 },
});

type Phase = QueueFileState["phase"];

function statusText(
  strings: Strings,
  file: QueueFileState,
  offlinePaused: boolean,
  now: number,
  link: LinkPlacement | undefined
) {
  switch (file.phase) {
    case "queued":
      return strings.phaseQueued;
    case "waiting-for-item":
      return strings.phaseWaitingForItem;
    case "creating-session":
      return strings.phaseCreatingSession;
    case "uploading":
      // The compose form takes the whole file at once: there is no byte progress to show, only that it is adding.
      if (file.route === "drive") return strings.phaseUploadingToDrive;
      return file.route === "form" ? strings.phaseAddingToMessage : strings.phaseUploading;
    case "retrying":
      return retryingText(strings, file, now);
    case "paused":
      return offlinePaused ? strings.phaseOffline : strings.phasePaused;
    case "verifying":
      return strings.phaseVerifying;
    case "linking":
      return strings.phaseLinking;
    case "attached":
      return file.route === "form" ? strings.phaseAddedToMessage : strings.phaseAttachedOnServer;
    case "shared":
      return sharedText(strings, link);
    case "failed":
      return errorText(strings, file.error, file.name).summary;
    case "cancelled":
      return strings.phaseCancelled;
  }
}

/** The countdown to the next try; a silent connection says how long the server was silent. */
function retryingText(strings: Strings, file: QueueFileState, now: number) {
  const seconds = file.retryAt ? Math.ceil((file.retryAt - now) / 1000) : 0;
  if (file.retryReason === "stall") {
    const silent = Math.max(1, Math.round((file.stalledMs ?? 0) / 1000));
    return seconds > 0
      ? format(strings.phaseStalledRetrying, { silent, seconds })
      : format(strings.phaseStalledRetryingNow, { silent });
  }
  return seconds > 0 ? format(strings.phaseRetrying, { seconds }) : strings.phaseRetryingNow;
}

function verificationText(
  strings: Strings,
  verification: Verification | undefined,
  kind: "message" | "event" | undefined,
  sendGuard: boolean
) {
  const event = kind === "event";
  if (verification === "checking")
    return event ? strings.verifyCheckingEvent : strings.verifyChecking;
  if (verification === "visible") return event ? strings.verifyVisibleEvent : strings.verifyVisible;
  if (verification === "not-yet-visible")
    return sendGuard ? strings.verifyNotYetVisible : strings.verifyNoSendGuard;
  return undefined;
}

/** Percent, speed and time left, each kept whole on its line. */
function measures(strings: Strings, file: QueueFileState, view: FileProgressView, now: number) {
  // The compose form's API reports no bytes: no percentage to show until it has the file.
  if (file.route === "form" && file.phase !== "attached") return [];
  const parts = [format(strings.percent, { percent: view.percent })];
  if (file.phase !== "uploading") return parts;
  if (view.bytesPerSecond !== undefined)
    parts.push(
      format(strings.speed, { speed: formatBytes(strings, Math.round(view.bytesPerSecond)) })
    );
  if (view.finishAt !== undefined)
    parts.push(
      format(strings.eta, {
        time: formatDuration(strings, Math.max(0, (view.finishAt - now) / 1000)),
      })
    );
  return parts;
}

const NO_PROGRESS: FileProgressView = { bytes: 0, percent: 0 };

/** The row's progress view, as the store last published it. */
const useProgressView = (id: string) => usePaneState((s) => s.progress[id]) ?? NO_PROGRESS;

/**
 * Everything a row shows but its bar and its measures. A progress tick hands the row a new `file`
 * whose only change is `progress`, which the row itself never reads: the bar and the measures
 * subscribe to the published view on their own, so a tick re-renders just them, not the name, the
 * Field, the buttons (each render of the whole row was most of a tick's main-thread time).
 */
export const FileRow = memo(FileRowView, (before, after) =>
  sameButProgress(before.file, after.file)
);

function sameButProgress(a: QueueFileState, b: QueueFileState): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof QueueFileState>;
  for (const key of keys) if (key !== "progress" && a[key] !== b[key]) return false;
  return true;
}

function FileRowView({ file }: { file: QueueFileState }) {
  const styles = useStyles();
  const strings = useStrings();
  const verification = usePaneState((s) => s.verification[file.id]);
  const kind = usePaneState((s) => s.target?.kind);
  const offlinePaused = usePaneState((s) => s.pausedOffline.includes(file.id));
  const sendGuard = usePaneState((s) => s.sendGuard !== false);
  const lost = usePaneState((s) => s.lost[file.id] === true);
  const link = usePaneState((s) => s.links[file.id]);
  // The retry countdown changes once a second, on the second it counts to.
  useSecondTicks(file.phase === "retrying" ? file.retryAt : undefined);
  const now = Date.now();

  const done = file.phase === "attached" || file.phase === "shared";
  const failed = file.phase === "failed";
  const cancelled = file.phase === "cancelled";
  // Said loudly: the file the pane attached is gone from the server copy, and nothing else will say so.
  const status = lost
    ? format(strings.errorAttachmentLost, { name: file.name })
    : statusText(strings, file, offlinePaused, now, link);
  const verified =
    done && !lost ? verificationText(strings, verification, kind, sendGuard) : undefined;
  const rowRef = useRef<HTMLLIElement>(null);
  const focus = useRowFocus(rowRef, file.phase);

  return (
    <li
      ref={rowRef}
      className={styles.row}
      data-testid="file-row"
      data-phase={file.phase}
      data-name={file.name}
      data-route={file.route}
      {...(lost ? { "data-lost": "true" } : {})}
      {...focus.handlers}
    >
      <FileTypeIcon name={file.name} className={styles.icon} />
      <div className={styles.main}>
        <div className={styles.titleLine}>
          <Text weight="semibold" className={styles.nameBox}>
            <FileName name={file.name} />
          </Text>
          <Caption1 className={styles.size}>{formatBytes(strings, file.size)}</Caption1>
        </div>
        {hasBidiControls(file.name) && (
          <Caption1 className={styles.guidance} data-testid="bidi-warning">
            {strings.bidiWarning}
          </Caption1>
        )}
        <Field
          validationState={
            failed || lost
              ? "error"
              : link?.state === "failed"
                ? "warning"
                : done
                  ? "success"
                  : "none"
          }
          validationMessage={
            <span
              className={mergeClasses(styles.status, cancelled && styles.neutral)}
              data-testid="file-status"
            >
              {status}
            </span>
          }
        >
          {/* A cancelled row is neutral: no bar standing at a percentage that no longer means anything. */}
          {!cancelled && <RowBar file={file} error={failed || lost} done={done} />}
        </Field>
        {!cancelled && <RowMeasures file={file} />}
        {verified && (
          <Caption1
            className={mergeClasses(verification === "not-yet-visible" && styles.guidance)}
            data-testid="file-verification"
            data-verification={verification}
          >
            {verified}
          </Caption1>
        )}
        {file.route === "drive" && <ShareReasonLine id={file.id} />}
        {file.shared && <SharedLinkSlot file={file} result={file.shared} />}
        <ShareInstead file={file} />
        {failed && file.error && (
          <ErrorDetails error={file.error} route={file.route} name={file.name} />
        )}
      </div>
      <RowActions file={file} focus={focus} />
    </li>
  );
}

/** The row's bar (inside its Field, whose label and status it takes through Fluent's context). */
function RowBar({ file, error, done }: { file: QueueFileState; error: boolean; done: boolean }) {
  const styles = useStyles();
  const strings = useStrings();
  const view = useProgressView(file.id);
  return (
    <ProgressBar
      // Indeterminate while the compose form adds a file: it reports no byte progress.
      value={file.route === "form" && !done ? undefined : view.percent / 100}
      max={1}
      thickness="large"
      bar={{ className: styles.bar }}
      color={error ? "error" : done ? "success" : "brand"}
      aria-label={format(strings.progressLabel, { name: file.name })}
      aria-valuetext={format(strings.percent, { percent: view.percent })}
    />
  );
}

/** Percent, speed and time left; the time left changes once a second, on the second it counts to. */
function RowMeasures({ file }: { file: QueueFileState }) {
  const styles = useStyles();
  const strings = useStrings();
  const view = useProgressView(file.id);
  useSecondTicks(file.phase === "uploading" ? view.finishAt : undefined);
  return (
    <Caption1 className={styles.meta} data-testid="file-meta">
      {measures(strings, file, view, Date.now()).map((part) => (
        <span key={part} className={styles.measure}>
          {part}
        </span>
      ))}
    </Caption1>
  );
}

/**
 * Two slots, each one button element for the row's life, so the button a keyboard user pressed
 * stays focused as its action changes: Pause ⇄ Resume, Retry → Pause, in the first slot; Cancel →
 * Remove in the second. After Cancel, focus moves on to Retry.
 */
function RowActions({ file, focus }: { file: QueueFileState; focus: RowFocus }) {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const running = isRunning(file.phase);
  const paused = file.phase === "paused";
  const finished = file.phase === "failed" || file.phase === "cancelled";
  // A shared row can be cleared from the list (the file stays in OneDrive, the link in the message).
  const removable = finished || file.phase === "shared";

  const slot = (
    key: "primary" | "secondary",
    label: string,
    icon: ReactElement,
    onClick: () => void,
    testId: string
  ) => (
    <Button
      key={key}
      appearance="subtle"
      icon={icon}
      onClick={onClick}
      title={label}
      aria-label={format(strings.actionsFor, { action: label, name: file.name })}
      data-testid={testId}
      data-slot={key}
    />
  );

  const primary = running
    ? slot("primary", strings.pause, <Pause20Regular />, () => store.pause(file.id), "pause")
    : paused
      ? slot("primary", strings.resume, <Play20Regular />, () => store.resume(file.id), "resume")
      : canRetryFile(file)
        ? slot(
            "primary",
            strings.retry,
            <ArrowClockwise20Regular />,
            () => store.retry(file.id),
            "retry"
          )
        : null;
  const secondary =
    running || paused
      ? slot(
          "secondary",
          strings.cancel,
          <Dismiss20Regular />,
          () => {
            focus.moveToPrimaryAfter("cancelled");
            store.cancel(file.id);
          },
          "cancel"
        )
      : removable
        ? slot(
            "secondary",
            strings.remove,
            <Delete20Regular />,
            () => {
              focus.leaveRow();
              store.remove(file.id);
            },
            "remove"
          )
        : null;
  return <div className={styles.actions}>{[primary, secondary]}</div>;
}

/* eslint-disable no-unused-vars -- parameter names in function types, not variables */
interface RowFocus {
  handlers: { onFocus: () => void; onBlur: (event: FocusEvent<HTMLElement>) => void };
  /** Focus the first slot once the row reaches this phase. */
  moveToPrimaryAfter: (phase: Phase) => void;
  leaveRow: () => void;
}
/* eslint-enable no-unused-vars */

/**
 * Keeps a keyboard user's place in the row: when the focused button goes (Pause at "attached",
 * Cancel at "cancelled"), focus moves to the row's next action, else the next row, else Browse files.
 */
function useRowFocus(rowRef: RefObject<HTMLLIElement | null>, phase: Phase): RowFocus {
  const within = useRef(false);
  const wanted = useRef<Phase | undefined>(undefined);
  useLayoutEffect(() => {
    const row = rowRef.current;
    if (!row) return;
    const doc = row.ownerDocument;
    const lost = within.current && (doc.activeElement === doc.body || doc.activeElement === null);
    const move = wanted.current === phase;
    if (!lost && !move) return;
    wanted.current = undefined;
    const target =
      row.querySelector<HTMLElement>("[data-slot=primary]") ??
      row.querySelector<HTMLElement>("[data-slot=secondary]");
    if (target) target.focus();
    else if (lost) focusNeighbour(row);
  });
  return {
    handlers: {
      onFocus: () => {
        within.current = true;
      },
      onBlur: ({ target }) => {
        // A button removed from the page also blurs: that does not take the user out of the row.
        queueMicrotask(() => {
          const row = rowRef.current;
          if ((target as Node).isConnected)
            within.current = !!row && row.contains(row.ownerDocument.activeElement);
        });
      },
    },
    moveToPrimaryAfter: (next) => {
      wanted.current = next;
    },
    leaveRow: () => {
      within.current = false;
      if (rowRef.current) focusNeighbour(rowRef.current);
    },
  };
}

/** The next row's first button, else the previous row's, else "Browse files". */
function focusNeighbour(row: HTMLElement) {
  const neighbour = row.nextElementSibling ?? row.previousElementSibling;
  const target =
    neighbour?.querySelector<HTMLElement>("button") ??
    row.ownerDocument.querySelector<HTMLElement>("[data-testid=browse]");
  target?.focus();
}
