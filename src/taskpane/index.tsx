import {
  FluentProvider,
  webDarkTheme,
  webLightTheme,
  type Theme,
} from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
import { Header } from "./components/Header";

/** Follows Office's theme when the host reports one; a plain page (host null) gets the light theme. */
export function pickTheme(office: typeof Office | undefined): Theme {
  const background = office?.context?.officeTheme?.bodyBackgroundColor;
  return background && isDark(background) ? webDarkTheme : webLightTheme;
}

function isDark(hexColor: string): boolean {
  const rgb = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hexColor.trim());
  if (!rgb) return false;
  const [r, g, b] = rgb.slice(1).map((part) => parseInt(part, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128;
}

function render(): void {
  const container = document.getElementById("container");
  if (!container) throw new Error("taskpane.html has no #container");
  createRoot(container).render(
    <FluentProvider theme={pickTheme(typeof Office === "undefined" ? undefined : Office)}>
      <Header title="Large Attach" />
    </FluentProvider>
  );
}

// Outside Office (a plain browser tab, the playground) onReady still resolves, with host null.
if (typeof Office === "undefined") render();
else Office.onReady(() => render());
