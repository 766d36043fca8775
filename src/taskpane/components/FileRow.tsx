// One row per file: icon, name (ellipsis, full name on hover), size, route, a ProgressBar inside a
// Field, percent, speed, smoothed ETA, state, actions, and for failures a "Details" disclosure.
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
import { useEffect, useState, type MouseEventHandler, type ReactElement } from "react";
import { canRetryFile, type QueueFileState } from "../../upload/queue";
import { useStore, useStrings, usePaneState } from "../context";
import { format, formatBytes, formatDuration, type Strings } from "../locales";
import { isRunning, type Verification } from "../store/pane-store";
import { errorDetails, errorMessage } from "./errorText";
import { FileTypeIcon } from "./fileIcon";

const useStyles = makeStyles({
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
  name: {
    minWidth: 0,
    flexShrink: 1,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
  },
  size: { flexShrink: 0, color: tokens.colorNeutralForeground2 },
  meta: {
    color: tokens.colorNeutralForeground2,
    display: "flex",
    flexWrap: "wrap",
    columnGap: tokens.spacingHorizontalS,
  },
  actions: { display: "flex", flexWrap: "nowrap" },
  details: { marginTop: tokens.spacingVerticalXS },
  summary: {
    cursor: "pointer",
    color: tokens.colorBrandForegroundLink,
    ":focus-visible": {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      borderRadius: tokens.borderRadiusSmall,
    },
  },
  detailList: {
    display: "grid",
    gridTemplateColumns: "auto minmax(0, 1fr)",
    columnGap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalXS} 0 0 0`,
    "& dd": { margin: 0, overflowWrap: "anywhere", fontFamily: tokens.fontFamilyMonospace },
  },
  guidance: { color: tokens.colorPaletteMarigoldForeground2 },
});

/** Re-renders every second while `active`, for the "retrying in N s" countdown. */
function useNow(active: boolean) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function statusText(strings: Strings, file: QueueFileState, offlinePaused: boolean, now: number) {
  switch (file.phase) {
    case "queued":
      return strings.phaseQueued;
    case "waiting-for-item":
      return strings.phaseWaitingForItem;
    case "creating-session":
      return strings.phaseCreatingSession;
    case "uploading":
      // The compose form takes the whole file at once: there is no byte progress to show, only that it is adding.
      return file.route === "form" ? strings.phaseAddingToMessage : strings.phaseUploading;
    case "retrying": {
      const seconds = file.retryAt ? Math.ceil((file.retryAt - now) / 1000) : 0;
      return seconds > 0 ? format(strings.phaseRetrying, { seconds }) : strings.phaseRetryingNow;
    }
    case "paused":
      return offlinePaused ? strings.phaseOffline : strings.phasePaused;
    case "verifying":
      return strings.phaseVerifying;
    case "attached":
      return file.route === "form" ? strings.phaseAddedToMessage : strings.phaseAttachedOnServer;
    case "failed":
      return errorMessage(strings, file.error, file.name);
    case "cancelled":
      return strings.phaseCancelled;
  }
}

function verificationText(
  strings: Strings,
  verification: Verification | undefined,
  sendGuard: boolean
) {
  if (verification === "checking") return strings.verifyChecking;
  if (verification === "visible") return strings.verifyVisible;
  if (verification === "not-yet-visible")
    return sendGuard ? strings.verifyNotYetVisible : strings.verifyNoSendGuard;
  return undefined;
}

export function FileRow({ file }: { file: QueueFileState }) {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const rate = usePaneState((s) => s.rates[file.id]);
  const verification = usePaneState((s) => s.verification[file.id]);
  const sendGuard = usePaneState((s) => s.sendGuard !== false);
  const offlinePaused = usePaneState((s) => s.pausedOffline.includes(file.id));
  const now = useNow(file.phase === "retrying");

  const { bytesSent, bytesTotal } = file.progress;
  const done = file.phase === "attached";
  const fraction = done ? 1 : bytesTotal > 0 ? Math.min(1, bytesSent / bytesTotal) : 0;
  // Floor, so 100 % only ever appears once the server has accepted the file.
  const percent = done ? 100 : Math.min(99, Math.floor(fraction * 100));
  const failed = file.phase === "failed";
  const running = isRunning(file.phase);
  const lost = usePaneState((s) => s.lost[file.id] === true);
  // Said loudly: the file the pane attached is gone from the server copy, and nothing else will say so.
  const status = lost
    ? format(strings.errorAttachmentLost, { name: file.name })
    : statusText(strings, file, offlinePaused, now);
  const verified = done && !lost ? verificationText(strings, verification, sendGuard) : undefined;
  const canRetry = canRetryFile(file);

  const action = (
    label: string,
    icon: ReactElement,
    onClick: MouseEventHandler<HTMLButtonElement>,
    testId: string
  ) => (
    <Button
      appearance="subtle"
      icon={icon}
      onClick={onClick}
      title={label}
      aria-label={format(strings.actionsFor, { action: label, name: file.name })}
      data-testid={testId}
    />
  );

  const meta = [
    format(strings.percent, { percent }),
    file.phase === "uploading" && rate
      ? format(strings.speed, { speed: formatBytes(strings, Math.round(rate.bytesPerSecond)) })
      : null,
    file.phase === "uploading" && rate?.etaSeconds !== undefined
      ? format(strings.eta, { time: formatDuration(strings, rate.etaSeconds) })
      : null,
    file.route
      ? file.route === "form"
        ? strings.routeForm
        : file.route === "post"
          ? strings.routePost
          : strings.routeSession
      : null,
  ].filter(Boolean);

  return (
    <li
      className={styles.row}
      data-testid="file-row"
      data-phase={file.phase}
      data-name={file.name}
      {...(lost ? { "data-lost": "true" } : {})}
    >
      <FileTypeIcon name={file.name} className={styles.icon} />
      <div className={styles.main}>
        <div className={styles.titleLine}>
          <Text weight="semibold" className={styles.name} title={file.name}>
            {file.name}
          </Text>
          <Caption1 className={styles.size}>{formatBytes(strings, file.size)}</Caption1>
        </div>
        <Field
          validationState={failed || lost ? "error" : done ? "success" : "none"}
          validationMessage={<span data-testid="file-status">{status}</span>}
        >
          <ProgressBar
            value={fraction}
            max={1}
            thickness="large"
            color={failed || lost ? "error" : done ? "success" : "brand"}
            aria-label={format(strings.progressLabel, { name: file.name })}
            aria-valuetext={format(strings.percent, { percent })}
          />
        </Field>
        <Caption1 className={styles.meta}>
          {meta.map((part) => (
            <span key={part}>{part}</span>
          ))}
        </Caption1>
        {verified && (
          <Caption1
            className={mergeClasses(verification === "not-yet-visible" && styles.guidance)}
            data-testid="file-verification"
            data-verification={verification}
          >
            {verified}
          </Caption1>
        )}
        {failed && file.error && <ErrorDetails error={file.error} />}
      </div>
      <div className={styles.actions}>
        {running && action(strings.pause, <Pause20Regular />, () => store.pause(file.id), "pause")}
        {file.phase === "paused" &&
          action(strings.resume, <Play20Regular />, () => store.resume(file.id), "resume")}
        {(running || file.phase === "paused") &&
          action(strings.cancel, <Dismiss20Regular />, () => store.cancel(file.id), "cancel")}
        {canRetry &&
          action(strings.retry, <ArrowClockwise20Regular />, () => store.retry(file.id), "retry")}
        {(failed || file.phase === "cancelled") &&
          action(
            strings.remove,
            <Delete20Regular />,
            (event) => {
              // The focused button is about to vanish: keyboard users keep their place.
              focusAfterRemoving(event.currentTarget);
              store.remove(file.id);
            },
            "remove"
          )}
      </div>
    </li>
  );
}

/** Moves focus to the next row's first button, else the previous row's, else "Browse files". */
function focusAfterRemoving(button: HTMLElement) {
  const row = button.closest("li");
  const neighbour = row?.nextElementSibling ?? row?.previousElementSibling;
  const target =
    neighbour?.querySelector<HTMLElement>("button") ??
    button.ownerDocument.querySelector<HTMLElement>("[data-testid=browse]");
  target?.focus();
}

function ErrorDetails({ error }: { error: unknown }) {
  const styles = useStyles();
  const strings = useStrings();
  const details = errorDetails(strings, error);
  if (details.length === 0) return null;
  return (
    <details className={styles.details} data-testid="error-details">
      <summary className={styles.summary}>{strings.details}</summary>
      <dl className={styles.detailList}>
        {details.map(({ label, value }) => (
          <div key={label} style={{ display: "contents" }}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
