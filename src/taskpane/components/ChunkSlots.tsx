// Where the lazily loaded chunks' parts go in the pane (src/taskpane/chunks.ts): nothing while a
// chunk loads (it is fetched right after the pane is interactive), the part once it is there, and a
// clear message with Retry if it could not be loaded (offline) — never a blank pane or a crash.
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { useEffect } from "react";
import type { QueueFileState } from "../../upload/queue";
import type { ShareResult } from "../../upload/types";
import { rowsChunk, shareChunk, type LazyChunk } from "../chunks";
import { useStrings, usePaneState } from "../context";

function LoadFailed({
  chunk,
  text,
  testId,
}: {
  chunk: LazyChunk<unknown>;
  text: string;
  testId: string;
}) {
  const strings = useStrings();
  return (
    <MessageBar intent="error" layout="multiline" data-testid={testId}>
      <MessageBarBody>{text}</MessageBarBody>
      <MessageBarActions>
        <Button onClick={() => void chunk.load().catch(() => undefined)} data-testid="chunk-retry">
          {strings.retry}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** The ask/always setting and the link type, where the pane can share at all. */
export function ShareSettingsSlot() {
  const strings = useStrings();
  const available = usePaneState((s) => s.share.available);
  const { module, failed } = shareChunk.use();
  if (!available) return null;
  if (module) return <module.ShareSettings />;
  if (!failed) return null;
  return (
    <LoadFailed chunk={shareChunk} text={strings.shareLoadFailed} testId="share-load-failed" />
  );
}

/** A shared row's link (the share loaded the chunk; after a reload its first render may wait for it). */
export function SharedLinkSlot({ file, result }: { file: QueueFileState; result: ShareResult }) {
  const { module } = shareChunk.use();
  useEffect(() => {
    if (!module) void shareChunk.load().catch(() => undefined);
  }, [module]);
  return module ? <module.SharedLinkLine file={file} result={result} /> : null;
}

/** One row per file, once the rows chunk is there (a pick before it arrived loads it now). */
export function FileListSlot({ className }: { className: string }) {
  const strings = useStrings();
  const files = usePaneState((s) => s.queue.files);
  const { module, failed } = rowsChunk.use();
  const wanted = files.length > 0;
  useEffect(() => {
    if (wanted && !module) void rowsChunk.load().catch(() => undefined);
  }, [wanted, module]);
  if (!wanted) return null;
  if (failed)
    return <LoadFailed chunk={rowsChunk} text={strings.rowsLoadFailed} testId="rows-load-failed" />;
  if (!module) return null;
  const { FileRow } = module;
  return (
    <ul className={className} data-testid="file-list">
      {files.map((file) => (
        <FileRow key={file.id} file={file} />
      ))}
    </ul>
  );
}

/** The total bar, with the rows (it has nothing to show before the first file). */
export function TotalBarSlot() {
  const { module } = rowsChunk.use();
  return module ? <module.TotalBar /> : null;
}
