// What the pane-share browser tests share: the emulator's OneDrive as a test sees it, the compose
// body of the playground page, files made in the page (no disk), and the playground's per-user
// roaming settings cleared between tests.
import { createHash, randomBytes } from "node:crypto";
import type { FrameLocator, Page } from "playwright-core";
import { DEFAULT_DRIVE } from "../../dev/graph-emulator";
import { NO_FAULTS, paneFrame, row, type PaneFixture } from "./pane-support";

/** After each test: no faults, the emulator's default OneDrive rules, attachments up to 150 MiB. */
export const SHARE_RESET = {
  ...NO_FAULTS,
  maxMessageSizeBytes: 157_286_400,
  drive: { quotaBytes: DEFAULT_DRIVE.quotaBytes, linkScopes: [...DEFAULT_DRIVE.linkScopes] },
};

/** The file the emulator's OneDrive holds under this name (in the add-in's folder), if any. */
export function driveFile(fixture: PaneFixture, name: string) {
  return fixture.emulator.driveItems().find((i) => i.kind === "file" && i.name === name);
}

export function driveSessionsFor(fixture: PaneFixture, name: string) {
  return fixture.emulator.driveSessions().filter((s) => s.path.endsWith(`/${name}`));
}

/** The playground's compose body: the links in it (HTML) and its text. */
export async function composeBody(page: Page) {
  return page.evaluate(() => {
    const html = document.querySelector<HTMLElement>("#body-html")!;
    const text = document.querySelector<HTMLTextAreaElement>("#body-text")!;
    return {
      links: Array.from(html.querySelectorAll("a"), (a) => ({
        href: a.getAttribute("href"),
        text: a.textContent,
      })),
      html: html.innerHTML,
      text: text.value,
    };
  });
}

/** The playground page with a compose message; `query` e.g. { body: "text" }. */
export async function openCompose(fixture: PaneFixture, query: Record<string, string> = {}) {
  const page = await fixture.browser.context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  const search = new URLSearchParams(query).toString();
  await page.goto(`${fixture.playground.url}${search ? `?${search}` : ""}`);
  // Roaming settings live in this origin's localStorage: each test starts from "ask".
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage))
      if (key.startsWith("playground:roaming:")) localStorage.removeItem(key);
  });
  await page.reload();
  const pane = page.frameLocator("#pane");
  await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
  return { page, pane };
}

/**
 * A file of `size` bytes made in the pane's page as a Blob (no disk) and picked through the Browse
 * input. Its bytes repeat a random block of 1 MiB + 7 bytes: no range size the engine uses is a
 * multiple of it, so a range sent twice or out of order still changes the SHA-256.
 */
export async function pickGenerated(page: Page, name: string, size: number) {
  const block = randomBytes(1024 * 1024 + 7);
  const hash = createHash("sha256");
  for (let offset = 0; offset < size; offset += block.length)
    hash.update(block.subarray(0, Math.min(block.length, size - offset)));
  await paneFrame(page).evaluate(
    ({ name, size, base64 }) => {
      const block = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const parts: Uint8Array[] = [];
      for (let offset = 0; offset < size; offset += block.length)
        parts.push(block.subarray(0, Math.min(block.length, size - offset)));
      const file = new File(parts as BlobPart[], name, { lastModified: 1_700_000_000_000 });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      const input = document.querySelector<HTMLInputElement>("[data-testid=browse-input]")!;
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
    { name, size, base64: block.toString("base64") }
  );
  return { name, size, sha256: hash.digest("hex") };
}

export async function statusOf(root: Page | FrameLocator, name: string) {
  return row(root, name).getByTestId("file-status").textContent();
}
