// The scenario registry, in the order they run.
import type { Scenario } from "../lib/bench";
import { browserScenario } from "./browser";
import { driveLinkScenario, driveScenario } from "./drive";
import { driveBrowserScenario } from "./drive-browser";
import { linkScenario } from "./link";
import { loopbackScenario } from "./loopback";
import { manyScenario } from "./many";
import { paneScenario, preparePane } from "./pane";

export const SCENARIOS: Scenario[] = [
  { id: "loopback", title: "1. Loopback, one large file, Node", run: loopbackScenario },
  { id: "link", title: "2. Modelled wide-area link", run: linkScenario },
  { id: "many", title: "3. Eight files, concurrency 1/2/4", run: manyScenario },
  { id: "browser", title: "4. Browser (Chromium)", run: browserScenario },
  {
    id: "pane",
    title: "5. Task pane size and start",
    run: paneScenario,
    prepare: preparePane,
  },
  { id: "drive", title: "6. OneDrive route on loopback, Node", run: driveScenario },
  { id: "drive-link", title: "7. OneDrive route on the modelled link", run: driveLinkScenario },
  {
    id: "drive-browser",
    title: "8. OneDrive route in the browser (Chromium)",
    run: driveBrowserScenario,
    prepare: preparePane,
  },
];
