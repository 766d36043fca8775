// Smoke test: the production build of the task pane renders in real Chromium, served on loopback, with
// office.js answered from the npm package in place of Microsoft's CDN and no request leaving the machine.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import {
  isolateNetwork,
  launchBrowser,
  type LaunchedBrowser,
  type NetworkLog,
} from "../support/browser";
import { serveDirectory, type StaticServer } from "../support/static-server";

const distDir = path.resolve(__dirname, "../../dist");
const resultsDir = path.resolve(__dirname, "../../test-results");

// office.js frames a telemetry page on *.oaspapps.com. Our CSP deliberately does not allow it (and the
// harness would abort it anyway), so that one refusal is expected; anything else is a defect.
const isOfficeTelemetry = (text: string) => /oaspapps\.com/.test(text);

interface CspViolation {
  blockedURI: string;
  violatedDirective: string;
}

describe("task pane smoke test (production build in Chromium)", () => {
  let browser: LaunchedBrowser;
  let server: StaticServer;
  let network: NetworkLog;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, "taskpane.html"))) {
      throw new Error(`dist/taskpane.html not found: run npm run build first`);
    }
    server = await serveDirectory(distDir);
    browser = await launchBrowser();
    network = await isolateNetwork(browser.context);
    page = await browser.context.newPage();
    await page.addInitScript(() => {
      const violations: Array<{ blockedURI: string; violatedDirective: string }> = [];
      (window as unknown as { cspViolations: typeof violations }).cspViolations = violations;
      document.addEventListener("securitypolicyviolation", (event) =>
        violations.push({
          blockedURI: event.blockedURI,
          violatedDirective: event.violatedDirective,
        })
      );
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${server.url}/taskpane.html`);
    // Let office.js finish its start-up requests so the checks below see all of them.
    await page.waitForLoadState("networkidle");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("renders the Large Attach header", async () => {
    const heading = page.getByRole("heading", { level: 1, name: "Large Attach" });
    await heading.waitFor({ state: "visible", timeout: 20_000 });
    expect(await heading.textContent()).toBe("Large Attach");
    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, "smoke.png"), fullPage: true });
  });

  it("loaded office.js through the CDN URL, not from the bundle", () => {
    expect(network.officeJs).toContain(
      "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"
    );
  });

  it("raised no page error and no console error", () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((text) => !isOfficeTelemetry(text))).toEqual([]);
  });

  it("violated its Content-Security-Policy only for the Office telemetry frame", async () => {
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: CspViolation[] }).cspViolations
    );
    expect(violations.filter((violation) => !isOfficeTelemetry(violation.blockedURI))).toEqual([]);
  });

  it("made no request outside loopback except the blocked telemetry", () => {
    const notTelemetry = network.blocked.filter(
      (url) => !new URL(url).hostname.endsWith("oaspapps.com")
    );
    expect(notTelemetry).toEqual([]);
  });
});
