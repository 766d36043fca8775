// Total progress of the pane's files with "Retry all" / "Cancel all" / "Clear finished": part of the
// "rows" chunk (src/taskpane/chunks.ts), shown from the first file on.
import { Button, Caption1, ProgressBar, makeStyles, tokens } from "@fluentui/react-components";
import { canRetryFile } from "../../upload/queue";
import { useStore, useStrings, usePaneState } from "../context";
import { format, formatBytes } from "../locales";

const useStyles = makeStyles({
  // As FileRow's bar: no width transition, which ten updates a second kept running all upload long.
  bar: { transitionDuration: "0s" },
  total: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  measure: { whiteSpace: "nowrap" },
  totalActions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

export function TotalBar() {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const queue = usePaneState((s) => s.queue);
  const progress = usePaneState((s) => s.progress);
  if (queue.files.length === 0) return null;
  const counted = queue.files.filter((f) => f.phase !== "cancelled");
  const attached = counted.filter((f) => f.phase === "attached" || f.phase === "shared").length;
  const anyShared = counted.some((f) => f.route === "drive");
  const allDone = counted.length > 0 && attached === counted.length;
  // The rows' own numbers, summed: the total never says more than the rows do.
  const total = counted.reduce((sum, f) => sum + f.size, 0);
  const shown = counted.reduce((sum, f) => sum + (progress[f.id]?.bytes ?? 0), 0);
  const percent = allDone ? 100 : total > 0 ? Math.min(99, Math.floor((shown / total) * 100)) : 0;
  const canRetry = queue.files.some(canRetryFile);
  const canCancel = queue.files.some(
    (f) => !["attached", "shared", "failed", "cancelled"].includes(f.phase)
  );
  const canClear = queue.files.some((f) => ["attached", "shared", "cancelled"].includes(f.phase));
  const filesText = format(anyShared ? strings.totalFilesShared : strings.totalFiles, {
    done: attached,
    count: counted.length,
  });
  return (
    <section className={styles.total} aria-label={filesText}>
      {/* Nothing counted (everything cancelled): no "0 B of 0 B", only the actions. */}
      {counted.length > 0 && (
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
      )}
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
