// The task-pane button id per surface that the Send guard names as Smart Alerts' commandId. The build writes
// manifest.xml's button ids here (webpack DefinePlugin, from scripts/manifests.js paneButtonIds), and
// manifest.json's buttons carry the same ids, so the id names the button whichever manifest installed the add-in.

export type PaneButtons = Record<"message" | "appointment", string | undefined>;

/** The ids from the build; undefined for a surface with none (an unbuilt runtime: the guard's message alone). */
export function paneButtonsFromBuild(): PaneButtons {
  let ids: { message?: unknown; appointment?: unknown } = {};
  try {
    // Written out in full so DefinePlugin can replace it; the try keeps an unbuilt runtime from throwing.
    ids = JSON.parse(process.env.LARGE_ATTACH_PANE_BUTTONS ?? "{}") as typeof ids;
  } catch {
    ids = {};
  }
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  return { message: text(ids.message), appointment: text(ids.appointment) };
}
