// Names the target: "Attaching to: subject", message or meeting, and the mailbox when it is shared.
import { Badge, Caption1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CalendarLtr20Regular, Mail20Regular } from "@fluentui/react-icons";
import { useStrings, usePaneState } from "../context";
import { format } from "../locales";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXXS,
    paddingTop: tokens.spacingVerticalS,
  },
  line: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    minWidth: 0,
  },
  subject: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  muted: { color: tokens.colorNeutralForeground2 },
});

export function TargetInfo() {
  const styles = useStyles();
  const strings = useStrings();
  const target = usePaneState((s) => s.target);
  if (!target) return null;
  const subject = target.subject?.trim() || strings.noSubject;
  const Icon = target.kind === "event" ? CalendarLtr20Regular : Mail20Regular;
  return (
    <section className={styles.root} aria-label={strings.attachingTo} data-testid="target">
      <div className={styles.line}>
        <Caption1 className={styles.muted}>{strings.attachingTo}</Caption1>
        <Badge
          appearance="tint"
          size="small"
          icon={<Icon aria-hidden="true" />}
          data-testid="target-kind"
        >
          {target.kind === "event" ? strings.targetEvent : strings.targetMessage}
        </Badge>
      </div>
      <Text
        weight="semibold"
        className={styles.subject}
        title={subject}
        data-testid="target-subject"
      >
        {subject}
      </Text>
      {target.isShared && (
        <Caption1 className={styles.muted}>
          {format(strings.sharedMailbox, { mailbox: target.mailbox })}
        </Caption1>
      )}
    </section>
  );
}
