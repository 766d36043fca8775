/**
 * The Send guard's commandId per surface: what the build defines (webpack.config.js, from scripts/manifests.js)
 * is what the entry reads, and those ids are the task-pane buttons the manifest checks require in both manifests.
 */
import path from "node:path";
import { paneButtonIds } from "../../../scripts/manifests";
import { paneButtonsFromBuild } from "../../../src/commands/pane-buttons";

const rootDir = path.resolve(__dirname, "../../..");
const saved = process.env.LARGE_ATTACH_PANE_BUTTONS;
afterEach(() => {
  if (saved === undefined) delete process.env.LARGE_ATTACH_PANE_BUTTONS;
  else process.env.LARGE_ATTACH_PANE_BUTTONS = saved;
});

test("the ids the build defines are read per surface", () => {
  // What webpack's DefinePlugin substitutes for process.env.LARGE_ATTACH_PANE_BUTTONS.
  process.env.LARGE_ATTACH_PANE_BUTTONS = JSON.stringify(paneButtonIds(rootDir));
  expect(paneButtonsFromBuild()).toEqual({
    message: "LargeAttach.MessageCompose.OpenPane",
    appointment: "LargeAttach.AppointmentOrganizer.OpenPane",
  });
});

test("unbuilt or unreadable: no ids, so the guard falls back to its message", () => {
  delete process.env.LARGE_ATTACH_PANE_BUTTONS;
  expect(paneButtonsFromBuild()).toEqual({ message: undefined, appointment: undefined });
  process.env.LARGE_ATTACH_PANE_BUTTONS = "not json";
  expect(paneButtonsFromBuild()).toEqual({ message: undefined, appointment: undefined });
});
