// A file name that fits a 280 px row: truncated in the middle, so the end of the name and its
// extension stay visible ("Site survey walk…wing).mp4"). The full name is the tooltip and, in a
// visually hidden copy, what screen readers read; the two visible halves are hidden from them.
import { makeStyles } from "@fluentui/react-components";

const useStyles = makeStyles({
  box: { position: "relative", display: "flex", minWidth: 0 },
  name: { display: "flex", minWidth: 0, overflow: "hidden" },
  head: {
    minWidth: 0,
    flexShrink: 1,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "pre",
  },
  tail: { flexShrink: 0, whiteSpace: "pre" },
  visuallyHidden: {
    position: "absolute",
    width: "1px",
    height: "1px",
    margin: "-1px",
    overflow: "hidden",
    clip: "rect(0 0 0 0)",
    whiteSpace: "nowrap",
  },
});

/** Characters kept before the extension, so names that differ only at the end stay apart. */
const KEEP_BEFORE_EXTENSION = 3;
/** Longer "extensions" are part of the name ("notes.from the board meeting"). */
const MAX_EXTENSION = 10;

export function splitName(name: string): [head: string, tail: string] {
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= MAX_EXTENSION ? dot : name.length;
  const cut = Math.max(0, extension - KEEP_BEFORE_EXTENSION);
  return [name.slice(0, cut), name.slice(cut)];
}

export function FileName({ name }: { name: string }) {
  const styles = useStyles();
  const [head, tail] = splitName(name);
  return (
    <span className={styles.box} data-testid="file-name">
      <bdi className={styles.visuallyHidden}>{name}</bdi>
      <span className={styles.name} title={name} aria-hidden="true">
        {/* Isolated for bidirectional text: a direction control in the name stays inside it. */}
        <bdi className={styles.name}>
          <span className={styles.head} data-part="head">
            {head}
          </span>
          <span className={styles.tail} data-part="tail">
            {tail}
          </span>
        </bdi>
      </span>
    </span>
  );
}
