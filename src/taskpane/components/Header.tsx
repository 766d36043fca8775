import { makeStyles, Text, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  header: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    paddingBlock: tokens.spacingVerticalM,
    paddingInline: tokens.spacingHorizontalL,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  logo: { width: "32px", height: "32px", flexShrink: 0 },
});

export interface HeaderProps {
  title: string;
  logoUrl?: string;
}

export function Header({ title, logoUrl = "assets/icon-32.png" }: HeaderProps) {
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <img className={styles.logo} src={logoUrl} alt="" />
      <Text as="h1" size={500} weight="semibold">
        {title}
      </Text>
    </header>
  );
}
