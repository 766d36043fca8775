/**
 * The playground's Outlook stand-in models real Outlook (issue #16), under each client switch: the compose form
 * keeps its own attachment list, lists a Graph upload only after *Reopen draft*, and saves its own copy over
 * the server's (classic) or conflicts first (web). The built pane and Send guard (dist/taskpane.html,
 * dist/commands.html) run in Chromium against the emulator; *Send* runs the registered OnMessageSend handler.
 */
import path from "node:path";
import { build } from "esbuild";
import type { FrameLocator, Page } from "playwright-core";
import {
  MiB,
  NO_FAULTS,
  paneFrame,
  playgroundUrl,
  row,
  storedAttachment,
  usePaneFixture,
  waitForPhase,
  writeFile,
  type PaneFixture,
} from "./pane-support";

const CLIENTS = ["web", "classic-online", "classic-cached", "mac"] as const;

async function open(
  fx: PaneFixture,
  client: string,
  extra = ""
): Promise<{ page: Page; pane: FrameLocator }> {
  const page = await fx.browser.context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(`${playgroundUrl(fx, client)}${extra}`);
  const pane = page.frameLocator("#pane");
  await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
  return { page, pane };
}

/** Makes the compose form refuse the next files (AttachmentSizeExceeded), so they go through Graph. */
async function formRefuses(page: Page) {
  await paneFrame(page).evaluate(() => {
    const item = (window as unknown as { Office: typeof Office }).Office.context.mailbox
      .item as unknown as Record<string, unknown>;
    item.addFileAttachmentFromBase64Async = (...args: unknown[]) => {
      const callback = args[args.length - 1] as (result: unknown) => void;
      setTimeout(
        () =>
          callback({
            status: "failed",
            error: { code: 9000, name: "AttachmentSizeExceeded", message: "too large" },
          }),
        0
      );
    };
  });
}

async function sendAndRead(page: Page) {
  await page.locator("#send").click();
  const status = page.locator("#send-status:is([data-state=sent],[data-state=blocked])");
  await status.waitFor({ timeout: 30_000 });
  return {
    state: await status.getAttribute("data-state"),
    text: (await status.textContent()) ?? "",
  };
}

// One emulator, playground and Chromium for the whole file (each test opens its own page and item;
// after each, pages close and the emulator's faults reset): a fixture per client cost a Chromium each.
// The Mailbox 1.10 pane watches the item every second (runtime config watchIntervalMs), not 15 s.
const fx = usePaneFixture(NO_FAULTS, { watchIntervalMs: 1_000 });

describe.each(CLIENTS)("Outlook stand-in, client %s", (client) => {
  it("a Graph upload the form later overwrites is caught by the Send guard: send blocked, file named", async () => {
    const file = await writeFile(fx().dir, `report-${client}.pdf`, 4 * MiB);
    const { page, pane } = await open(fx(), client);
    await formRefuses(page);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    expect(await row(pane, file.name).textContent()).toContain(
      "Attached to the draft on the server"
    );
    expect(await row(pane, file.name).textContent()).not.toMatch(/Ctrl\s*\+\s*S/);
    // The form's own list does not show a file added on the server.
    expect(await page.locator(`#well li[data-name="${file.name}"]`).count()).toBe(0);
    expect(storedAttachment(fx(), file.name)).toHaveLength(1);

    await page.locator("#save-draft").click(); // classic: overwrites; web: conflicts once
    const result = await sendAndRead(page); // Send saves the form's copy, then runs the guard
    expect(result.state).toBe("blocked");
    expect(result.text).toContain(file.name);
    expect(storedAttachment(fx(), file.name)).toHaveLength(0);
  });

  it("a file within the form's limit goes through addFileAttachmentFromBase64Async and shows at once", async () => {
    const file = await writeFile(fx().dir, `notes-${client}.docx`, 1 * MiB);
    const { page, pane } = await open(fx(), client);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    expect(await row(pane, file.name).textContent()).toContain("Added to the message");
    await page.locator(`#well li[data-name="${file.name}"]`).waitFor({ timeout: 5_000 });
    expect(storedAttachment(fx(), file.name)).toHaveLength(0); // in the form's copy, not uploaded through Graph
    expect((await sendAndRead(page)).state).toBe("sent");
  });

  it("reopening the draft shows the server's attachments, and then the form's saves keep them", async () => {
    const file = await writeFile(fx().dir, `kept-${client}.xlsx`, 4 * MiB);
    const { page, pane } = await open(fx(), client);
    await formRefuses(page);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    expect(await page.locator(`#well li[data-name="${file.name}"]`).count()).toBe(0);
    await page.locator("#reopen-draft").click();
    await page.locator(`#well li[data-name="${file.name}"]`).waitFor({ timeout: 5_000 });
    await page.locator("#save-draft").click();
    expect((await sendAndRead(page)).state).toBe("sent");
    expect(storedAttachment(fx(), file.name)).toHaveLength(1);
  });
});

describe("a client without Smart Alerts (Mailbox 1.10): the open pane watches the item instead", () => {
  it("says loudly, in the row, when a file it attached through Graph disappears from the draft", async () => {
    const file = await writeFile(fx().dir, "watched.pdf", 4 * MiB);
    const { page, pane } = await open(fx(), "classic-online", "&mailbox=1.10");
    await formRefuses(page);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    const advice = row(pane, file.name).locator('[data-verification="not-yet-visible"]');
    await advice.waitFor({ timeout: 15_000 });
    expect(await advice.textContent()).toContain("cannot check it at Send");
    await page.locator("#save-draft").click(); // classic: the form's copy overwrites the server's
    await pane
      .locator(`[data-testid=file-row][data-name="${file.name}"][data-lost="true"]`)
      .waitFor({ timeout: 30_000 });
    expect(await row(pane, file.name).getByTestId("file-status").textContent()).toContain(
      "is no longer on the draft"
    );
  });
});

/**
 * The compose body and roamingSettings of the stand-in (issue #12), in Chromium through the playground page,
 * with the add-in's own src/office code (bundled here by esbuild and run in the pane's frame, where `Office`
 * is the stand-in): a link lands where the documented behaviour puts it, escaped, shown safely.
 */
describe("the stand-in's compose body and roamingSettings", () => {
  const fx = usePaneFixture();
  let officeBundle = "";
  beforeAll(async () => {
    const result = await build({
      entryPoints: [path.join(__dirname, "../../src/office/index.ts")],
      bundle: true,
      write: false,
      format: "iife",
      globalName: "LargeAttachOffice",
      // evaluate() may run the script in a function scope: the global is set explicitly.
      footer: { js: "window.LargeAttachOffice = LargeAttachOffice;" },
      platform: "browser",
      target: "es2020",
      logLevel: "silent",
    });
    officeBundle = result.outputFiles[0].text;
  });

  const LINK = {
    name: `Q1 <img src=x onerror="window.__ran=1"> & more.pdf`,
    size: 40 * MiB,
    url: "https://contoso-my.sharepoint.com/:b:/g/personal/adele/EaBc?e=x1&share=1",
  };

  /** Runs src/office's insertLinkIntoBody in the pane frame against the stand-in's Office. */
  async function insertLink(page: Page, link = LINK) {
    const frame = paneFrame(page);
    await frame.evaluate(officeBundle);
    return frame.evaluate(
      (l) =>
        (
          window as unknown as {
            LargeAttachOffice: { insertLinkIntoBody(o: unknown, l: unknown): Promise<unknown> };
          }
        ).LargeAttachOffice.insertLinkIntoBody(
          (window as unknown as { Office: unknown }).Office,
          l
        ),
      link
    );
  }

  /** Selects `word` in the HTML body, as a double-click on it would. */
  async function selectWord(page: Page, word: string) {
    await page.evaluate((w) => {
      const editor = document.getElementById("body-html")!;
      const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(w);
        if (at < 0) continue;
        editor.focus();
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + w.length);
        document.getSelection()!.removeAllRanges();
        document.getSelection()!.addRange(range);
        return;
      }
      throw new Error(`${w} is not in the body`);
    }, word);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50))); // selectionchange is async
  }

  /** Puts the caret at the end of the body's paragraph that contains `text`, as a click there would. */
  async function caretAfter(page: Page, text: string) {
    await page.locator("#body-html p", { hasText: text }).click();
    await page.keyboard.press("End");
  }

  it("an HTML body: the link goes in at the body's caret, escaped, rendered as a link and nothing else", async () => {
    const { page } = await open(fx(), "web");
    await caretAfter(page, "the files are attached.");
    await page.locator("#pane").focus(); // the user turns to the task pane
    expect(await insertLink(page)).toEqual({ coercion: "html", placement: "cursor" });
    const link = page.locator("#body-html a");
    await link.waitFor({ timeout: 5_000 });
    expect(await link.getAttribute("href")).toBe(LINK.url);
    expect(await link.textContent()).toBe(LINK.name); // the markup in the name is text
    expect(await page.locator("#body-html img").count()).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { __ran?: number }).__ran)
    ).toBeUndefined();
    const paragraph = await page.locator("#body-html p", { has: page.locator("a") }).innerText();
    expect(paragraph.startsWith("the files are attached.")).toBe(true);
    expect(paragraph).toContain("(40.0 MB)");
    expect(fx().pageErrors).toEqual([]);
  });

  it("a plain-text body (?body=text): the link goes in as text, at the caret", async () => {
    const { page } = await open(fx(), "web", "&body=text");
    const text = page.locator("#body-text");
    await text.click();
    await page.keyboard.press("Control+End");
    expect(await insertLink(page, { ...LINK, name: "video.mp4" })).toEqual({
      coercion: "text",
      placement: "cursor",
    });
    expect(await text.inputValue()).toMatch(
      /Adele\s*video\.mp4 \(40\.0 MB\): https:\/\/contoso-my/
    );
    expect(await page.locator("#body-html").isHidden()).toBe(true);
  });

  it("cursor lost (the docs; new Outlook for Mac): with the pane focused the link goes to the top", async () => {
    const { page } = await open(fx(), "web", "&cursor=lost");
    await caretAfter(page, "the files are attached.");
    await page.locator("#pane").focus();
    await insertLink(page, { ...LINK, name: "top.zip" });
    const first = page.locator("#body-html > :first-child");
    expect(await first.evaluate((e) => e.tagName)).toBe("A");
    expect(await first.textContent()).toBe("top.zip");
  });

  it("a selection in the body: setSelectedDataAsync would replace it, so the add-in prepends and the words stay", async () => {
    const { page } = await open(fx(), "web");
    await selectWord(page, "attached");
    await page.locator("#pane").focus();
    expect(await insertLink(page, { ...LINK, name: "kept.zip" })).toEqual({
      coercion: "html",
      placement: "top",
    });
    expect(await page.locator("#body-html").innerText()).toContain("the files are attached.");
    expect(await page.locator("#body-html > :first-child").textContent()).toBe("kept.zip");

    // The stand-in's setSelectedDataAsync does replace it, as documented.
    await selectWord(page, "Adele");
    await page.locator("#pane").focus();
    await paneFrame(page).evaluate(
      () =>
        new Promise((resolve) =>
          (
            window as unknown as { Office: typeof Office }
          ).Office.context.mailbox.item!.body.setSelectedDataAsync(
            "Replaced",
            { coercionType: "text" },
            resolve
          )
        )
    );
    expect(await page.locator("#body-html").innerText()).not.toContain("Adele");
  });

  it("Office's documented refusals, asyncContext, and no appendAsync", async () => {
    const { page } = await open(fx(), "web", "&body=text");
    const results = await paneFrame(page).evaluate(async () => {
      const body = (window as unknown as { Office: typeof Office }).Office.context.mailbox.item!
        .body as unknown as Record<string, (...args: unknown[]) => void>;
      const call = (method: string, ...args: unknown[]) =>
        new Promise<{ sync: boolean; result: Office.AsyncResult<unknown> }>((resolve) => {
          let returned = false;
          body[method](...args, (result: Office.AsyncResult<unknown>) =>
            resolve({ sync: !returned, result })
          );
          returned = true;
        });
      const html = await call("setSelectedDataAsync", "<b>x</b>", {
        coercionType: "html",
        asyncContext: { n: 1 },
      });
      const big = await call("prependAsync", "x".repeat(1_000_001), { coercionType: "text" });
      const type = await call("getTypeAsync", { asyncContext: "ctx" });
      const plain = await call("setSelectedDataAsync", "<b>as text</b>");
      const read = await call("getAsync", "text");
      return {
        html: [html.sync, html.result.status, html.result.error?.name, html.result.asyncContext],
        big: [big.result.status, big.result.error?.name],
        type: [type.result.value, type.result.asyncContext],
        plain: plain.result.status,
        read: read.result.value,
        appendAsync: typeof body.appendAsync,
      };
    });
    expect(results.html).toEqual([false, "failed", "InvalidFormatError", { n: 1 }]);
    expect(results.big).toEqual(["failed", "DataExceedsMaximumSize"]);
    expect(results.type).toEqual(["text", "ctx"]);
    expect(results.plain).toBe("succeeded");
    expect(results.read).toContain("<b>as text</b>"); // no coercionType: text, markup shown as typed
    expect(results.appendAsync).toBe("undefined");
  });

  it("HTML handed to the body is allow-listed: no script runs, no handler, no javascript: link", async () => {
    const { page } = await open(fx(), "web");
    await paneFrame(page).evaluate(
      () =>
        new Promise((resolve) =>
          (
            window as unknown as { Office: typeof Office }
          ).Office.context.mailbox.item!.body.prependAsync(
            `<script>window.parent.__ran=1</script><img src=x onerror="window.parent.__ran=2">` +
              `<a href="javascript:window.parent.__ran=3">bad</a><a href="https://ok.test/" onclick="x()">ok</a>`,
            { coercionType: "html" },
            resolve
          )
        )
    );
    await page.locator("#body-html a", { hasText: "ok" }).waitFor({ timeout: 5_000 });
    await page.locator("#body-html a", { hasText: "bad" }).click();
    expect(
      await page.evaluate(() => (window as unknown as { __ran?: number }).__ran)
    ).toBeUndefined();
    expect(
      await page.locator("#body-html script, #body-html img, #body-html [onclick]").count()
    ).toBe(0);
    expect(await page.locator("#body-html a", { hasText: "bad" }).getAttribute("href")).toBeNull();
    // And the page itself runs only its own script file, whatever reached the body.
    const headers = (await page.request.get(fx().playground.url)).headers();
    expect(headers["content-security-policy"]).toContain("script-src 'self'");
  });

  it("roamingSettings: saveAsync keeps a value for the user's next pane; an unsaved set does not", async () => {
    const first = await open(fx(), "web");
    await first.page.evaluate(() => localStorage.clear());
    const saved = await paneFrame(first.page).evaluate(
      () =>
        new Promise((resolve) => {
          const roaming = (window as unknown as { Office: typeof Office }).Office.context
            .roamingSettings;
          roaming.set("saved", { n: 1 });
          roaming.saveAsync((r) => {
            roaming.set("unsaved", true); // changed after the save: this pane's copy only
            resolve(r.status);
          });
        })
    );
    expect(saved).toBe("succeeded");
    const second = await open(fx(), "web");
    expect(
      await paneFrame(second.page).evaluate(() => {
        const roaming = (window as unknown as { Office: typeof Office }).Office.context
          .roamingSettings;
        return [roaming.get("saved"), roaming.get("unsaved") ?? null];
      })
    ).toEqual([{ n: 1 }, null]);
  });

  it("the add-in's share setting: roamingSettings when present, its localStorage fallback under ?roaming=none, a clear error under ?roaming=fail", async () => {
    const share = async (page: Page) => {
      const frame = paneFrame(page);
      await frame.evaluate(officeBundle);
      return frame.evaluate(async () => {
        const { saveShareSetting, loadShareSetting } = (
          window as unknown as {
            LargeAttachOffice: typeof import("../../src/office");
          }
        ).LargeAttachOffice;
        const office = (window as unknown as { Office: typeof Office }).Office;
        const error = await saveShareSetting(office, "always").then(
          () => null,
          (e: { code?: string }) => e.code ?? "?"
        );
        return {
          error,
          now: loadShareSetting(office),
          roaming: Boolean(office.context.roamingSettings),
          stored: localStorage.getItem("largeAttach.share"),
        };
      });
    };
    const on = await open(fx(), "web");
    await on.page.evaluate(() => localStorage.clear());
    expect(await share(on.page)).toEqual({
      error: null,
      now: "always",
      roaming: true,
      stored: null,
    });
    expect(
      await on.page.evaluate(() => localStorage.getItem("playground:roaming:adele@contoso.test"))
    ).toContain('"whenCannotAttach":"always"');

    const none = await open(fx(), "web", "&roaming=none");
    expect(await share(none.page)).toEqual({
      error: null,
      now: "always",
      roaming: false,
      stored: JSON.stringify({ whenCannotAttach: "always", linkType: "view" }),
    });

    const failing = await open(fx(), "web", "&roaming=fail");
    await failing.page.evaluate(() => localStorage.clear());
    expect(await share(failing.page)).toEqual({
      error: "setting-not-saved",
      now: "always", // still applies in this pane
      roaming: true,
      stored: null,
    });
  });
});
