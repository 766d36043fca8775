// The OneDrive parts of a row in the pane's first script: why the file went to OneDrive and "Share
// as a link instead" on a row the item refused. Once shared, the link itself (SharedLinkLine.tsx) is
// drawn by the "share" chunk, which the share has loaded by then (src/taskpane/chunks.ts).
import { Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { Share20Regular } from "@fluentui/react-icons";
import type { QueueFileState } from "../../upload/queue";
import { useStore, useStrings, usePaneState } from "../context";
import { format, type Strings } from "../locales";
import type { LinkPlacement, ShareReason } from "../store/pane-store";
import { failureShareReason } from "../store/share";

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground2 },
  share: { alignSelf: "flex-start", marginTop: tokens.spacingVerticalXS },
});

/** The row's status once shared: where the link went (or that it could not go into the message). */
export function sharedText(strings: Strings, link: LinkPlacement | undefined) {
  if (link?.state === "inserted") return strings.phaseShared;
  if (link?.state === "failed") return strings.phaseSharedNotInserted;
  return strings.phaseSharedInserting;
}

function reasonText(strings: Strings, reason: ShareReason) {
  switch (reason) {
    case "too-large":
      return strings.shareReasonTooLarge;
    case "over-limit":
      return strings.shareReasonOverLimit;
    case "size-exceeded":
      return strings.shareReasonSizeExceeded;
    case "shared-mailbox":
      return strings.shareReasonSharedMailbox;
  }
}

/** Why this file is going to OneDrive rather than onto the item. */
export function ShareReasonLine({ id }: { id: string }) {
  const styles = useStyles();
  const strings = useStrings();
  const reason = usePaneState((s) => s.shareReasons[id]);
  if (!reason) return null;
  return (
    <Caption1 className={styles.muted} data-testid="share-reason" data-reason={reason}>
      {reasonText(strings, reason)}
    </Caption1>
  );
}

/** On a row the item refused for good: the same File, sent to OneDrive instead (no re-pick). */
export function ShareInstead({ file }: { file: QueueFileState }) {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const available = usePaneState((s) => s.share.available);
  if (!available || !failureShareReason(file)) return null;
  // Refused before any request (no route): "Share as a link"; refused part-way: "… instead".
  const label = file.route === undefined ? strings.shareAsLink : strings.shareInstead;
  return (
    <Button
      className={styles.share}
      size="small"
      appearance="primary"
      icon={<Share20Regular />}
      onClick={() => store.shareInstead(file.id)}
      aria-label={format(strings.actionsFor, { action: label, name: file.name })}
      data-testid="share-instead"
    >
      {label}
    </Button>
  );
}
