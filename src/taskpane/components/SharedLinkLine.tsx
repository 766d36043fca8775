// A shared row's link: its address (the real one, shown in full on hover) with Copy link, and which
// scope it has when the tenant refused the one asked for. Part of the "share" chunk (share-chunk.ts):
// a row only has a link once the share, which loads that chunk, has finished.
import { Button, Caption1, Link, makeStyles, tokens } from "@fluentui/react-components";
import { Copy20Regular } from "@fluentui/react-icons";
import { useState } from "react";
import type { QueueFileState } from "../../upload/queue";
import type { ShareResult } from "../../upload/types";
import { useStrings } from "../context";
import { format } from "../locales";
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
  // "Copy link" stays whole; the address gives way (ellipsis) instead.
  copy: { flexShrink: 0, whiteSpace: "nowrap" },
});

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
