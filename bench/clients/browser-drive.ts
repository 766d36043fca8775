// Bundled for the page (esbuild, iife) and added to the pane frame by the drive-browser scenario:
// `__benchShare` shares the baseline input's File through the engine's OneDrive route with the
// transport the task pane uses (XHR, src/taskpane/root.tsx), timed in the frame's own clock.
import { shareFile, withUploadOrigins, xhrTransport } from "../../src/upload";

/** What xhrTransport builds its requests with (the DOM type is wider than the one it declares). */
type XhrFactory = Parameters<typeof xhrTransport>[0];

/**
 * A real XMLHttpRequest whose responseURL reads as the URL it was opened with when the two are the
 * same URL. Works around a bug found here: xhrStack's redirect check compares responseURL (which
 * the browser percent-encodes: OneDrive's `guid='…'` comes back as `guid=%27…%27`) with the raw
 * upload URL as a string, so every drive range looked like a redirect. A real redirect still
 * shows. Remove once transport.ts compares parsed URLs.
 */
function sameUrlXhr(): XMLHttpRequest {
  const xhr = new XMLHttpRequest();
  const open = xhr.open.bind(xhr) as (method: string, url: string) => void;
  let opened = "";
  xhr.open = ((method: string, url: string) => {
    opened = url;
    open(method, url);
  }) as XMLHttpRequest["open"];
  const real = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, "responseURL")!;
  Object.defineProperty(xhr, "responseURL", {
    get() {
      const url = real.get!.call(xhr) as string;
      return url && opened && new URL(url).href === new URL(opened).href ? opened : url;
    },
  });
  return xhr;
}

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
    {
      transport: xhrTransport(sameUrlXhr as unknown as XhrFactory),
      allowedUploadOrigins: withUploadOrigins(input.uploadOrigin),
    }
  );
  return { started, ended: performance.now(), driveItemId: result.driveItemId };
}

(window as unknown as { __benchShare: typeof benchShare }).__benchShare = benchShare;
