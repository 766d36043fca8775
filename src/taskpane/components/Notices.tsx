// Refusals on pick (each with its own message), the offline notice, the meeting-save question and
// the unfinished uploads a reloaded pane can continue.
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Dismiss20Regular } from "@fluentui/react-icons";
import { useRef } from "react";
import { useStore, useStrings, usePaneState } from "../context";
import { format, formatBytes, formatBytesExact, type Strings } from "../locales";
import type { Notice, ResumeOffer } from "../store/pane-store";
import { isolate } from "./bidi";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  hidden: { display: "none" },
});

function noticeText(strings: Strings, notice: Notice) {
  switch (notice.kind) {
    case "too-large":
      return format(strings.tooLarge, {
        name: isolate(notice.name),
        // Rounded, 150 MiB + 1 byte would read "150 MB is over the 150 MB limit": give the bytes.
        size: formatBytesExact(strings, notice.size),
      });
    case "over-limit":
      return format(notice.learned ? strings.overLearnedLimit : strings.overTenantLimit, {
        name: isolate(notice.name),
        projected: formatBytes(strings, notice.projected),
        limit: formatBytes(strings, notice.learned ? notice.limit + 1 : notice.limit),
      });
    case "duplicate":
      return format(strings.duplicate, { name: isolate(notice.name) });
    case "resume-mismatch":
      return format(strings.resumeMismatch, {
        name: isolate(notice.name),
        expected: isolate(notice.expected),
      });
    case "empty-name":
      return strings.emptyName;
    case "invalid-size":
      return format(strings.invalidSize, { name: notice.name });
  }
}

export function Notices() {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const notices = usePaneState((s) => s.notices);
  const offline = usePaneState((s) => s.offline);
  const confirming = usePaneState((s) => s.confirmingMeetingSave);
  return (
    <div className={styles.stack}>
      {confirming && (
        <MessageBar intent="warning" layout="multiline" data-testid="confirm-meeting-save">
          <MessageBarBody>{strings.confirmMeetingSave}</MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={() => store.answerMeetingSave(true)}>
              {strings.confirmSave}
            </Button>
            <Button onClick={() => store.answerMeetingSave(false)}>{strings.cancel}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {offline && (
        <MessageBar intent="warning" data-testid="offline-notice">
          <MessageBarBody>{strings.offlineNotice}</MessageBarBody>
        </MessageBar>
      )}
      {notices.map((notice) => (
        <MessageBar
          key={notice.id}
          intent={notice.kind === "duplicate" ? "info" : "error"}
          layout="multiline"
          data-testid="notice"
          data-kind={notice.kind}
        >
          <MessageBarBody>{noticeText(strings, notice)}</MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                aria-label={strings.dismiss}
                title={strings.dismiss}
                icon={<Dismiss20Regular />}
                onClick={() => store.dismissNotice(notice.id)}
              />
            }
          >
            {/* The file the pane kept goes to OneDrive, and its link into the message. */}
            {notice.shareable && (
              <Button
                appearance="primary"
                onClick={() => store.shareRefused(notice.id)}
                aria-label={format(strings.actionsFor, {
                  action: strings.shareAsLink,
                  name: "name" in notice ? notice.name : "",
                })}
                data-testid="share-refused"
              >
                {strings.shareAsLink}
              </Button>
            )}
          </MessageBarActions>
        </MessageBar>
      ))}
      <ResumeOffers />
    </div>
  );
}

function ResumeOffers() {
  const strings = useStrings();
  const offers = usePaneState((s) => s.resumeOffers);
  if (offers.length === 0) return null;
  return (
    <section aria-label={strings.resumeTitle} data-testid="resume-offers">
      {offers.map((offer) => (
        <ResumeOfferBar key={offer.fingerprint} offer={offer} />
      ))}
    </section>
  );
}

function ResumeOfferBar({ offer }: { offer: ResumeOffer }) {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const input = useRef<HTMLInputElement>(null);
  const values = {
    name: isolate(offer.name),
    size: formatBytes(strings, offer.size),
    percent: Math.floor((offer.offset / Math.max(1, offer.size)) * 100),
  };
  return (
    <MessageBar intent="info" layout="multiline" data-testid="resume-offer" data-name={offer.name}>
      <MessageBarBody>
        <MessageBarTitle>{strings.resumeTitle}</MessageBarTitle>
        {format(
          offer.expired
            ? strings.resumeExpired
            : offer.route === "drive"
              ? strings.resumeOfferDrive
              : strings.resumeOffer,
          values
        )}
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={() => input.current?.click()}>
          {offer.expired ? strings.resumeStartOver : strings.resumePick}
        </Button>
        <Button onClick={() => store.discardOffer(offer.fingerprint)}>
          {strings.resumeDiscard}
        </Button>
      </MessageBarActions>
      <input
        ref={input}
        type="file"
        className={styles.hidden}
        tabIndex={-1}
        aria-hidden="true"
        data-testid="resume-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) store.resumeWith(offer.fingerprint, file);
          event.currentTarget.value = "";
        }}
      />
    </MessageBar>
  );
}
