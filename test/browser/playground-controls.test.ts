// The playground page's own controls, pressed in Chromium: a fault script arms only when its button
// is pressed (a used-up "next 3 range PUTs answer 503" stays used up when *Apply* is pressed), and
// the network panel sets the bandwidth cap's scope. The pane uploads for real through the emulator.
// Without ?client= the page plays Outlook on the web (issue #16: the default is a real client's behaviour).
import type { Page } from "playwright-core";
import { DEFAULT_DRIVE } from "../../dev/graph-emulator/config";
import {
  MiB,
  openPlayground,
  storedAttachment,
  until,
  usePaneFixture,
  waitForPhase,
  writeFile,
} from "./pane-support";

describe("playground controls (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture();

  async function pressAndWait(page: Page, button: string, status: RegExp) {
    await page.locator(`#${button}`).click();
    await page.locator("#fault-status").getByText(status).waitFor({ timeout: 10_000 });
  }

  it("a used-up 503 script is not re-armed by Apply: the next upload meets no 503", async () => {
    const { page, pane } = await openPlayground(fx());
    await pressAndWait(page, "fault-503", /next 3 range PUTs will answer 503/);
    const first = await writeFile(fx().dir, "first.bin", 5 * MiB);
    await pane.getByTestId("browse-input").setInputFiles(first.path);
    await waitForPhase(pane, first.name, "attached");
    expect(
      fx()
        .emulator.faultLog()
        .filter((e) => e.kind === "status")
    ).toHaveLength(3);

    await page.locator("#latency").fill("0");
    await pressAndWait(page, "apply-network", /^Latency 0 ms/);
    expect(fx().emulator.getConfig().pendingScript).toEqual([]);
    const second = await writeFile(fx().dir, "second.bin", 5 * MiB);
    await pane.getByTestId("browse-input").setInputFiles(second.path);
    await waitForPhase(pane, second.name, "attached");
    expect(fx().emulator.faultLog()).toEqual([]);
    await until(() => storedAttachment(fx(), second.name).length === 1);
    expect(storedAttachment(fx(), second.name)[0].sha256).toBe(second.sha256);
  });

  it("with no client asked for, it plays Outlook on the web: a small file goes through the form's own attach API", async () => {
    const page = await fx().browser.context.newPage();
    await page.goto(fx().playground.url);
    expect(await page.locator("#client").inputValue()).toBe("web");
    const pane = page.frameLocator("#pane");
    await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
    const file = await writeFile(fx().dir, "web-default.docx", 256 * 1024);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    // In the compose form's own list at once, and not uploaded through Graph (the idealised client would).
    await page.locator(`#well li[data-name="${file.name}"]`).waitFor({ timeout: 5_000 });
    expect(storedAttachment(fx(), file.name)).toEqual([]);
  });

  it("the network panel sets the cap and its scope: shared by default, per connection on request", async () => {
    const { page } = await openPlayground(fx());
    await page.locator("#bandwidth").fill("2");
    await pressAndWait(page, "apply-network", /2 MB\/s shared by all connections/);
    expect(fx().emulator.getConfig().faults).toMatchObject({
      bandwidthBytesPerSec: 2 * MiB,
      bandwidthScope: "shared",
    });
    await page.locator("#bandwidth-scope").selectOption("connection");
    await pressAndWait(page, "apply-network", /2 MB\/s per connection/);
    expect(fx().emulator.getConfig().faults).toMatchObject({
      bandwidthBytesPerSec: 2 * MiB,
      bandwidthScope: "connection",
    });
    await pressAndWait(page, "reset-faults", /Faults cleared/);
    expect(fx().emulator.getConfig().faults).toMatchObject({
      bandwidthBytesPerSec: 0,
      bandwidthScope: "shared",
    });
  });

  it("the tenant panel's OneDrive row sets the quota and the link scopes the policy allows", async () => {
    const { page } = await openPlayground(fx());
    await page.locator("#drive-quota").fill("100");
    await page.locator("#scope-anonymous").uncheck();
    await page.locator("#scope-users").uncheck();
    await pressAndWait(
      page,
      "apply-drive",
      /OneDrive quota 100 MB; link scopes allowed: organization\./
    );
    expect(fx().emulator.getConfig().drive).toMatchObject({
      quotaBytes: 100 * MiB,
      linkScopes: ["organization"],
    });
    // Pressing another tenant control leaves the OneDrive switches alone.
    await pressAndWait(page, "apply-tenant", /^Tenant limit/);
    expect(fx().emulator.getConfig().drive.linkScopes).toEqual(["organization"]);

    await page.locator("#scope-organization").uncheck();
    await pressAndWait(page, "apply-drive", /link scopes allowed: none \(every link refused\)/);
    expect(fx().emulator.getConfig().drive.linkScopes).toEqual([]);
    const { quotaBytes, linkScopes } = DEFAULT_DRIVE;
    fx().emulator.configure({ drive: { quotaBytes, linkScopes } });
  });
});
