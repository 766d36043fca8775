// The OneDrive route's two choices: ask, or always share a file that cannot be attached (kept per
// user in roaming settings), and whether people with the link can view or edit. Shown only where
// the pane can share at all.
import { Field, Radio, RadioGroup, makeStyles, tokens } from "@fluentui/react-components";
import { useStore, useStrings, usePaneState } from "../context";

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXS,
    paddingTop: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

export function ShareSettings() {
  const styles = useStyles();
  const strings = useStrings();
  const store = useStore();
  const share = usePaneState((s) => s.share);
  if (!share.available) return null;
  return (
    <section className={styles.section} aria-label={strings.shareSettingsTitle}>
      <Field label={strings.shareSettingsTitle}>
        <RadioGroup
          value={share.setting}
          onChange={(_, data) => store.setShareSetting(data.value === "always" ? "always" : "ask")}
          data-testid="share-setting"
        >
          <Radio value="ask" label={strings.shareSettingAsk} />
          <Radio value="always" label={strings.shareSettingAlways} />
        </RadioGroup>
      </Field>
      <Field label={strings.linkTypeLabel}>
        <RadioGroup
          layout="horizontal"
          value={share.linkType}
          onChange={(_, data) => store.setLinkType(data.value === "edit" ? "edit" : "view")}
          data-testid="link-type"
        >
          <Radio value="view" label={strings.linkTypeView} />
          <Radio value="edit" label={strings.linkTypeEdit} />
        </RadioGroup>
      </Field>
    </section>
  );
}
