// The task pane's "share" chunk: what only the OneDrive route needs, kept out of the pane's first
// script (bench scenario "pane": JS before interactive ≤ 150 KB gzipped). chunks.ts fetches it once
// the pane is interactive, or on demand. The engine's drive route (src/upload/drive.ts, which
// the queue imports under the same chunk name) comes with it, so one request brings all of it.
export { ShareSettings } from "./components/ShareSettings";
export { SharedLinkLine } from "./components/SharedLinkLine";
export { insertLinkIntoBody } from "../office/body";
export { shareFile } from "../upload/drive";
