// The OneDrive parts of a row: why the file went to OneDrive, "Share as a link instead" on a row the
// item refused, and once shared the link itself — its address (the real one, shown in full on hover)
// with Copy link, and which scope it has when the tenant refused the one asked for.
import { Button, Caption1, Link, makeStyles, tokens } from "@fluentui/react-components";
import { Copy20Regular, Share20Regular } from "@fluentui/react-icons";
import { useState } from "react";
import type { QueueFileState } from "../../upload/queue";
import type { ShareResult } from "../../upload/types";
import { useStore, useStrings, usePaneState } from "../context";
import { format, type Strings } from "../locales";
import type { LinkPlacement, ShareReason } from "../store/pane-store";
import { failureShareReason } from "../store/share";
import { scopeWords } from "./errorText";

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground2 },
  warning: { color: tokens.colorPaletteMarigoldForeground2 },
  linkLine: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalXS,
    minWidth: 0,
  },
  // The address keeps to one line; the whole of it is the tooltip and the link's target.
  address: {
    minWidth: 0,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
  },
  share: { alignSelf: "flex-start", marginTop: tokens.spacingVerticalXS },
  // "Copy link" stays whole; the address gives way (ellipsis) instead.
  copy: { flexShrink: 0, whiteSpace: "nowrap" },
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

/** The link the message got: its address, Copy link, and its scope when it is not the one asked for. */
export function SharedLinkLine({ file, result }: { file: QueueFileState; result: ShareResult }) {
  const styles = useStyles();
  const strings = useStrings();
  const [copy, setCopy] = useState<"copied" | "failed" | undefined>(undefined);
  const { webUrl, scope, requestedScope } = result.link;
  return (
    <>
      <div className={styles.linkLine}>
        <Link
          href={webUrl}
          target="_blank"
          rel="noreferrer"
          title={webUrl}
          className={styles.address}
          data-testid="shared-link"
          aria-label={format(strings.linkFor, { scope: scopeWords(strings, scope) })}
        >
          {webUrl}
        </Link>
        <Button
          className={styles.copy}
          size="small"
          appearance="subtle"
          icon={<Copy20Regular />}
          onClick={() => void copyText(webUrl).then((ok) => setCopy(ok ? "copied" : "failed"))}
          aria-label={format(strings.actionsFor, { action: strings.copyLink, name: file.name })}
          data-testid="copy-link"
        >
          {strings.copyLink}
        </Button>
      </div>
      {copy && (
        <Caption1
          className={copy === "failed" ? styles.warning : styles.muted}
          role="status"
          data-testid="copy-result"
          data-result={copy}
        >
          {copy === "copied" ? strings.linkCopied : strings.copyFailed}
        </Caption1>
      )}
      {requestedScope && requestedScope !== scope && (
        <Caption1 className={styles.warning} data-testid="link-scope" data-scope={scope}>
          {format(strings.scopeFallback, {
            requested: scopeWords(strings, requestedScope),
            scope: scopeWords(strings, scope),
          })}
        </Caption1>
      )}
    </>
  );
}

/**
 * The Clipboard API where the host grants it; inside an Office iframe that may be refused, and the
 * older copy command on a selected text field still works there.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const focused = document.activeElement as HTMLElement | null;
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    } finally {
      field.remove();
      focused?.focus();
    }
  }
}
