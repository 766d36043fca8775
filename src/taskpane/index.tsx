// Entry point of the task pane bundle. Outside Office (a plain browser tab) office.js still
// resolves onReady, with no mailbox; the pane then explains it needs an item being composed.
import { startTaskPane } from "./root";

if (typeof Office === "undefined") startTaskPane(undefined);
else void Office.onReady(() => startTaskPane(Office));
