// After attach: does the compose form show the file? (getAttachmentsAsync through the Outlook
// adapter.) Outlook refreshes its attachment well on its own schedule, so a "not yet" is asked once
// more before the row advises anything.
import type { PaneHost, Visibility } from "./host";

export type Verification = "checking" | Visibility;

export async function verifyAttachment(
  host: PaneHost,
  ref: { attachmentId: string; name: string },
  recheckMs = 2000
): Promise<Visibility> {
  try {
    const first = await host.verifyAttachmentVisible(ref);
    if (first !== "not-yet-visible") return first;
    await new Promise((resolve) => setTimeout(resolve, recheckMs));
    return await host.verifyAttachmentVisible(ref);
  } catch {
    return "unsupported";
  }
}
