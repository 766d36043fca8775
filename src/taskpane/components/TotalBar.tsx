// Total progress of the pane's files with "Retry all" / "Cancel all" / "Clear finished": part of the
// "rows" chunk (src/taskpane/chunks.ts), shown from the first file on.
import { Button, Caption1, ProgressBar, makeStyles, tokens } from "@fluentui/react-components";
import { canRetryFile } from "../../upload/queue";
import { useStore, useStrings, usePaneState } from "../context";
import type { PaneState } from "../store/pane-store";
import { format, formatBytes } from "../locales";

const useStyles = makeStyles({
  // As FileRow's bar: no width transition, which progress updates kept running all upload long.
  bar: { transitionDuration: "0s" },
  total: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  measure: { whiteSpace: "nowrap" },
  totalActions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

type Files = PaneState["queue"]["files"];
const countedOf = (files: Files) => files.filter((f) => f.phase !== "cancelled");
const isDone = (f: Files[number]) => f.phase === "attached" || f.phase === "shared";

/**
 * The section, its counts and its actions read only what changes with a file's phase (numbers and
 * booleans the store's snapshots keep equal), so a progress tick re-renders just TotalProgress.
 */
export function TotalBar() {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const files = usePaneState((s) => s.queue.files.length);
  const count = usePaneState((s) => countedOf(s.queue.files).length);
  const attached = usePaneState((s) => countedOf(s.queue.files).filter(isDone).length);
  const anyShared = usePaneState((s) => countedOf(s.queue.files).some((f) => f.route === "drive"));
  const canRetry = usePaneState((s) => s.queue.files.some(canRetryFile));
  const canCancel = usePaneState((s) =>
    s.queue.files.some((f) => !["attached", "shared", "failed", "cancelled"].includes(f.phase))
  );
  const canClear = usePaneState((s) =>
    s.queue.files.some((f) => ["attached", "shared", "cancelled"].includes(f.phase))
  );
  if (files === 0) return null;
  const filesText = format(anyShared ? strings.totalFilesShared : strings.totalFiles, {
    done: attached,
    count,
  });
  return (
    <section className={styles.total} aria-label={filesText}>
      {/* Nothing counted (everything cancelled): no "0 B of 0 B", only the actions. */}
      {count > 0 && <TotalProgress filesText={filesText} />}
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

/** Bytes of all counted files and the bar: the rows' own numbers, summed (never more than they say). */
function TotalProgress({ filesText }: { filesText: string }) {
  const styles = useStyles();
  const strings = useStrings();
  const queue = usePaneState((s) => s.queue);
  const progress = usePaneState((s) => s.progress);
  const counted = countedOf(queue.files);
  const allDone = counted.length > 0 && counted.every(isDone);
  const total = counted.reduce((sum, f) => sum + f.size, 0);
  const shown = counted.reduce((sum, f) => sum + (progress[f.id]?.bytes ?? 0), 0);
  const percent = allDone ? 100 : total > 0 ? Math.min(99, Math.floor((shown / total) * 100)) : 0;
  return (
    <>
      <Caption1 data-testid="total-text">
        <span className={styles.measure}>
          {format(strings.totalProgress, {
            sent: formatBytes(strings, allDone ? total : shown),
            total: formatBytes(strings, total),
          })}
        </span>
        {" · "}
        <span className={styles.measure}>{filesText}</span>
      </Caption1>
      <ProgressBar
        value={percent / 100}
        max={1}
        bar={{ className: styles.bar }}
        aria-label={strings.totalProgress.replace(/\{.*$/, "").trim()}
        aria-valuetext={format(strings.percent, { percent })}
      />
    </>
  );
}
