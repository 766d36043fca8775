// Bundled for the page (esbuild, iife) and added to the pane frame by the drive-browser scenario:
// `__benchShare` shares the baseline input's File through the engine's OneDrive route with the
// transport the task pane uses (XHR, src/taskpane/root.tsx), timed in the frame's own clock.
import { shareFile, withUploadOrigins, xhrTransport } from "../../src/upload";

export interface BenchShareInput {
  graphUrl: string;
  uploadOrigin: string;
  /** The bench emulator's dev token (never logged). */
  token: string;
  folder: string;
}

async function benchShare(input: BenchShareInput) {
  const picked = document.getElementById("bench-baseline-file") as HTMLInputElement;
  const file = picked.files![0];
  const started = performance.now();
  const result = await shareFile(
    file,
    { graphBaseUrl: input.graphUrl, drive: "me", folder: input.folder },
    async () => input.token,
    { transport: xhrTransport(), allowedUploadOrigins: withUploadOrigins(input.uploadOrigin) }
  );
  return { started, ended: performance.now(), driveItemId: result.driveItemId };
}

(window as unknown as { __benchShare: typeof benchShare }).__benchShare = benchShare;
