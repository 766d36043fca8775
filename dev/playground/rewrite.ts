// Turns the production taskpane.html into the playground's: office.js replaced by the stand-in (and
// the NAA bridge stand-in), the runtime config pointed at the emulator, and the CSP's connect-src
// opened to the emulator's two origins. Pure string work, unit-tested.

export interface RewriteOptions {
  /** Scripts that replace office.js, in order (same origin, so script-src 'self' allows them). */
  scripts: string[];
  runtimeConfig: {
    graphBaseUrl: string;
    messageSizeLimit: number;
    clientId?: string;
    /** Upload origins the engine may send ranges to besides Outlook's (the emulator's). */
    uploadOrigins?: string[];
    /** The pane engine's silence bounds, ms (dev only; docs/CONTRACTS.md). */
    stallTimeoutMs?: number;
    answerTimeoutMs?: number;
    /** How often a pane without a Send guard checks the item, ms (dev only; docs/CONTRACTS.md). */
    watchIntervalMs?: number;
  };
  connectOrigins: string[];
  standinConfig: Record<string, unknown>;
}

// Attribute quotes are optional: html-webpack-plugin's minifier drops them where it can.
const OFFICE_JS =
  /<script\b[^>]*\bsrc=["']?https:\/\/appsforoffice\.microsoft\.com\/[^"' >]*office\.js["']?[^>]*>\s*<\/script>/i;
const CONFIG_BLOCK =
  /(<script\b[^>]*\bid=["']?large-attach-config["']?[^>]*>)[\s\S]*?(<\/script>)/i;
const CSP_META =
  /(<meta\b[^>]*\bhttp-equiv=["']?Content-Security-Policy["']?[^>]*\bcontent=")([^"]*)(")/i;

export function rewriteTaskpaneHtml(html: string, options: RewriteOptions): string {
  if (!OFFICE_JS.test(html))
    throw new Error("taskpane.html: the office.js script tag was not found");
  if (!CONFIG_BLOCK.test(html))
    throw new Error("taskpane.html: the large-attach-config block was not found");
  const scripts =
    `<script type="application/json" id="playground-standin-config">${jsonForScript(options.standinConfig)}</script>` +
    options.scripts.map((src) => `<script src="${src}"></script>`).join("");
  return html
    .replace(OFFICE_JS, () => scripts)
    .replace(
      CONFIG_BLOCK,
      (_all, open: string, close: string) =>
        `${open}${jsonForScript(options.runtimeConfig)}${close}`
    )
    .replace(
      CSP_META,
      (_all, open: string, policy: string, close: string) =>
        `${open}${withConnectSources(policy, options.connectOrigins)}${close}`
    );
}

/** Adds origins to connect-src (creating the directive if the policy has none). */
export function withConnectSources(policy: string, origins: string[]): string {
  const directives = policy
    .split(";")
    .map((d) => d.trim())
    .filter(Boolean);
  const index = directives.findIndex((d) => /^connect-src\b/i.test(d));
  if (index === -1) return [...directives, `connect-src 'self' ${origins.join(" ")}`].join("; ");
  const present = new Set(directives[index].split(/\s+/));
  directives[index] = [directives[index], ...origins.filter((o) => !present.has(o))].join(" ");
  return directives.join("; ");
}

/** JSON safe inside a <script> element: no "</script>" or "<!--" can close or confuse it. */
function jsonForScript(value: unknown) {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
