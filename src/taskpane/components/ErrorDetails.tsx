// "Details" under a failed row: what to do about it, then what a support person needs (status,
// Graph code, request id, how the file was sent). Identifiers wrap between their words only.
import { makeStyles, tokens } from "@fluentui/react-components";
import { Fragment } from "react";
import type { UploadRoute } from "../../upload/types";
import { useStrings } from "../context";
import { errorDetails, errorText, wrapPoints } from "./errorText";

const useStyles = makeStyles({
  details: { marginTop: tokens.spacingVerticalXS },
  summary: {
    cursor: "pointer",
    color: tokens.colorBrandForegroundLink,
    ":focus-visible": {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      borderRadius: tokens.borderRadiusSmall,
    },
  },
  help: { margin: `${tokens.spacingVerticalXS} 0 0 0` },
  detailList: {
    display: "grid",
    gridTemplateColumns: "auto minmax(0, 1fr)",
    columnGap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalXS} 0 0 0`,
    "& dd": { margin: 0, overflowWrap: "break-word" },
  },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

export function ErrorDetails({
  error,
  route,
  name,
}: {
  error: unknown;
  route?: UploadRoute;
  name: string;
}) {
  const styles = useStyles();
  const strings = useStrings();
  const { help } = errorText(strings, error, name);
  const details = errorDetails(strings, error, route);
  return (
    <details className={styles.details} data-testid="error-details">
      <summary className={styles.summary}>{strings.details}</summary>
      <p className={styles.help} data-testid="error-help">
        {help}
      </p>
      {details.length > 0 && (
        <dl className={styles.detailList}>
          {details.map(({ label, value, code }) => (
            <div key={label} style={{ display: "contents" }}>
              <dt>{label}</dt>
              <dd className={code ? styles.code : undefined} data-code={code ? value : undefined}>
                {code
                  ? wrapPoints(value).map((part, i) => (
                      <Fragment key={i}>
                        {i > 0 && <wbr />}
                        {part}
                      </Fragment>
                    ))
                  : value}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </details>
  );
}
