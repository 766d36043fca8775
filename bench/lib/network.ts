// Nothing a benchmark page does may leave the machine — but the pages are observed, not routed.
// Playwright's request interception (test/support/browser.ts isolateNetwork) copies every request
// body through the benchmark process, which made browser uploads several times slower than the
// page itself and measured Playwright, not the page. So: watch every request and fail the scenario
// if one went anywhere but loopback.
import type { BrowserContext } from "playwright-core";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export function watchNetwork(context: BrowserContext): { assertLoopbackOnly(): void } {
  const external: string[] = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    if ((url.protocol === "http:" || url.protocol === "https:") && !LOOPBACK.has(url.hostname)) {
      external.push(url.origin);
    }
  });
  return {
    assertLoopbackOnly() {
      if (external.length) {
        throw new Error(`The page reached beyond loopback: ${[...new Set(external)].join(", ")}`);
      }
    },
  };
}
