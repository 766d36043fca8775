// The scenario registry, in the order they run.
import type { Scenario } from "../lib/bench";
import { browserScenario } from "./browser";
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
];
