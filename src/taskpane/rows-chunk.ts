// The task pane's "rows" chunk (src/taskpane/chunks.ts): what it shows once there are files — a row
// per file and the total bar — fetched right after the pane is interactive, or at the first pick.
export { FileRow } from "./components/FileRow";
export { TotalBar } from "./components/TotalBar";
