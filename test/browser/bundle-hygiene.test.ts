/**
 * The production build (dist/, from `npm run build`) must carry no dev token code: no call to the emulator's
 * dev issuer, no stand-in NAA bridge, nothing from dev/. Runs in the browser project because it needs dist/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
const dist = path.join(root, "dist");

// Each marker is a literal that exists in dev code (checked below), so its absence from dist/ means something.
const DEV_MARKERS: Array<{ marker: string; foundIn: string }> = [
  { marker: "/_emulator/token", foundIn: "dev/graph-emulator/control-handler.ts" },
  { marker: "installNaaBridgeStandin", foundIn: "dev/naa-bridge/standin.ts" },
  { marker: "large-attach-naa-standin", foundIn: "dev/naa-bridge/standin.ts" },
  { marker: "stand-in: consent required", foundIn: "dev/naa-bridge/standin.ts" },
  { marker: "emulator token endpoint answered", foundIn: "dev/naa-bridge/emulator-token.ts" },
  { marker: "createDevTokenProvider", foundIn: "dev/naa-bridge/dev-token-provider.ts" },
];

function shippedFiles(): string[] {
  return readdirSync(dist, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(js|html|map)$/.test(file))
    .map((file) => path.join(dist, file));
}

test("dist/ exists (run `npm run build` first) and holds the task pane and dialog pages", () => {
  expect(existsSync(path.join(dist, "taskpane.html"))).toBe(true);
  expect(existsSync(path.join(dist, "dialog.html"))).toBe(true);
});

test.each(DEV_MARKERS)("the marker $marker is real dev code ($foundIn)", ({ marker, foundIn }) => {
  expect(readFileSync(path.join(root, foundIn), "utf8")).toContain(marker);
});

test("no shipped file contains dev token code or a dev/ module", () => {
  const offenders: string[] = [];
  for (const file of shippedFiles()) {
    const text = readFileSync(file, "utf8");
    for (const { marker } of DEV_MARKERS)
      if (text.includes(marker)) offenders.push(`${path.relative(root, file)}: ${marker}`);
    if (/["'(]\.?\/?dev\/(naa-bridge|graph-emulator|playground)\//.test(text))
      offenders.push(`${path.relative(root, file)}: dev/ module path`);
  }
  expect(shippedFiles().length).toBeGreaterThan(2);
  expect(offenders).toEqual([]);
});

test("the production task pane bundle does include the real NAA path (so the check above looks at the right files)", () => {
  const js = shippedFiles()
    .filter((file) => file.endsWith(".js"))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
  expect(js).toContain("nestedAppAuthBridge"); // msal-browser's BridgeProxy
  expect(js).toContain("large-attach/auth-result"); // our dialog protocol
});
