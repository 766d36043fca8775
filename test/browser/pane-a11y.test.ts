// Accessibility, layout and screenshots of the real built task pane, served by the playground with the
// office.js stand-in (so the pane runs its production code against the Graph emulator). For each
// Office theme (the stand-in answers Office.context.officeTheme from ?theme=), four states: idle,
// uploading (held there by the emulator's bandwidth cap), done and error. Each state is scanned with
// axe, checked for horizontal overflow at 280 and 800 px, and photographed into test-results/pane/.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import {
  MiB,
  NO_FAULTS,
  RESULTS_DIR,
  openPane,
  openPlayground,
  row,
  startFixture,
  waitForPhase,
  waitForProgress,
  writeFile,
  type PaneFixture,
  type TestFile,
} from "./pane-support";

const SHOTS_DIR = path.join(RESULTS_DIR, "pane");
const PANE_WIDTH = 360; // a typical task pane; Outlook's range is about 320–450 px
const NARROWEST = 280;
const WIDEST = 800;
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

let fixture: PaneFixture;
let files: Record<"video" | "notes" | "report" | "photos" | "overTenant" | "tooBig", TestFile>;

beforeAll(async () => {
  await mkdir(SHOTS_DIR, { recursive: true });
  fixture = await startFixture({ viewport: { width: PANE_WIDTH, height: 600 } });
  const dir = fixture.dir;
  files = {
    // A long name: the row must truncate it, not push the pane sideways at 280 px.
    video: await writeFile(
      dir,
      "Site survey walkthrough with drone footage (north wing).mp4",
      24 * MiB
    ),
    notes: await writeFile(dir, "Meeting notes.docx", 1 * MiB),
    report: await writeFile(dir, "Quarterly report.xlsx", 3 * MiB),
    photos: await writeFile(dir, "Site photos.zip", 6 * MiB),
    overTenant: await writeFile(dir, "Floor plans.pdf", 8 * MiB),
    tooBig: await writeFile(dir, "Disk image.iso", 150 * MiB + 1, true),
  };
});

afterAll(async () => {
  await fixture?.close();
});

afterEach(() => {
  fixture.emulator.configure({ ...NO_FAULTS, maxMessageSizeBytes: 150 * MiB });
});

/** axe's violations, one readable line each (an empty list is the pass condition). */
async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  // A scan that saw no text or buttons (a blank or half-loaded page) would pass for the wrong reason.
  const checked = [...result.passes, ...result.violations].map((rule) => rule.id);
  expect(checked).toEqual(
    expect.arrayContaining(["color-contrast", "button-name", "landmark-one-main"])
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
  );
}

/** Widths at which the document is wider than the viewport (there must be none). */
async function overflowingWidths(page: Page) {
  const offenders: string[] = [];
  for (const width of [NARROWEST, WIDEST]) {
    await page.setViewportSize({ width, height: 600 });
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    if (scrollWidth > clientWidth)
      offenders.push(`${width}px: scrollWidth ${scrollWidth} > ${clientWidth}`);
  }
  await page.setViewportSize({ width: PANE_WIDTH, height: 600 });
  return offenders;
}

async function shoot(page: Page, state: string, theme: Theme) {
  await page.screenshot({ path: path.join(SHOTS_DIR, `${state}-${theme}.png`), fullPage: true });
}

/** The relative luminance (0 black … 1 white) of the pane's background as painted. */
async function backgroundLuminance(page: Page) {
  return page.evaluate(() => {
    const [r, g, b] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(
      Number
    );
    const channel = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  });
}

async function openThemedPane(theme: Theme) {
  return openPane(fixture, { theme, subject: "Quarterly report" });
}

describe.each(THEMES)("the task pane in the %s Office theme", (theme) => {
  it("idle: painted in the theme, no axe violations, no overflow from 280 to 800 px", async () => {
    const page = await openThemedPane(theme);
    const luminance = await backgroundLuminance(page);
    if (theme === "dark") expect(luminance).toBeLessThan(0.1);
    else expect(luminance).toBeGreaterThan(0.9);
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowingWidths(page)).toEqual([]);
    await shoot(page, "idle", theme);
    await page.close();
  });

  it("uploading: no axe violations, no overflow; Cancel all leaves no session open", async () => {
    const page = await openThemedPane(theme);
    // 2 MB/s holds the 24 MiB file in "uploading" for about 12 s: long enough to scan and photograph.
    fixture.emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
    await page.getByTestId("browse-input").setInputFiles([files.notes.path, files.video.path]);
    await waitForPhase(page, files.notes.name, "attached");
    await waitForProgress(page, files.video.name, 0.2);
    expect(await row(page, files.video.name).getAttribute("data-phase")).toBe("uploading");
    await shoot(page, "uploading", theme);
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowingWidths(page)).toEqual([]);

    await page.getByTestId("cancel-all").click();
    await waitForPhase(page, files.video.name, "cancelled");
    expect(fixture.emulator.openSessions()).toEqual([]);
    await page.close();
  });

  it("done: no axe violations, no overflow", async () => {
    const page = await openThemedPane(theme);
    await page.getByTestId("browse-input").setInputFiles([files.report.path, files.photos.path]);
    await waitForPhase(page, files.report.name, "attached");
    await waitForPhase(page, files.photos.name, "attached");
    await page
      .locator('[data-testid=file-verification][data-verification="visible"]')
      .nth(1)
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowingWidths(page)).toEqual([]);
    await shoot(page, "done", theme);
    await page.close();
  });

  it("error (tenant limit and a file over 150 MB, details open): no axe violations, no overflow", async () => {
    fixture.emulator.configure({ maxMessageSizeBytes: 6 * MiB });
    const page = await openThemedPane(theme);
    await page
      .getByTestId("browse-input")
      .setInputFiles([files.overTenant.path, files.tooBig.path]);
    await page.locator('[data-testid=notice][data-kind="too-large"]').waitFor();
    await waitForPhase(page, files.overTenant.name, "failed", 30_000);
    await row(page, files.overTenant.name).getByText("Details").click();
    await row(page, files.overTenant.name).locator("dd").first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowingWidths(page)).toEqual([]);
    await shoot(page, "error", theme);
    await page.close();
  });
});

it("the playground page (compose window and the pane in its iframe) has no axe violations", async () => {
  const { page, pane } = await openPlayground(fixture);
  await pane.getByTestId("target-subject").waitFor();
  const result = await new AxeBuilder({ page }).analyze();
  // axe names a node inside the iframe by the frame's selector first: the pane itself was scanned.
  const scanned = result.passes.flatMap((rule) => rule.nodes.map((node) => node.target.join(" ")));
  expect(scanned.some((target) => target.startsWith("#pane "))).toBe(true);
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)
  ).toEqual([]);
  await page.close();
});

/**
 * What a sighted keyboard user sees on an element (the focused one when no test id is given): an
 * outline, a shadow, or a border drawn by ::after/::before (Fluent draws its focus ring on ::after).
 */
async function focusIndicator(page: Page, testId?: string) {
  return page.evaluate((id) => {
    const el = (
      id ? document.querySelector(`[data-testid="${id}"]`) : document.activeElement
    ) as HTMLElement | null;
    if (!el || el === document.body) return { id: "body", ring: "" };
    const drawn = (style: CSSStyleDeclaration) =>
      [
        style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
          ? `outline ${style.outlineWidth}`
          : "",
        style.boxShadow && style.boxShadow !== "none" ? `shadow ${style.boxShadow}` : "",
        style.borderTopStyle !== "none" &&
        parseFloat(style.borderTopWidth) > 0 &&
        style.content !== "none"
          ? `border ${style.borderTopWidth}`
          : "",
      ].join(" ");
    const ring = ["", "::after", "::before"]
      .map((pseudo) => drawn(getComputedStyle(el, pseudo || null)).trim())
      .filter(Boolean)
      .join(" | ");
    return {
      id: el.getAttribute("data-testid") ?? el.getAttribute("aria-label") ?? el.tagName,
      ring,
    };
  }, testId);
}

it("keyboard: Tab reaches Browse files, then the row's actions, then Cancel all, each with a visible focus ring", async () => {
  const page = await openThemedPane("light");
  fixture.emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
  await page.getByTestId("browse-input").setInputFiles(files.video.path);
  await waitForProgress(page, files.video.name, 0.02);

  const order: string[] = [];
  const focusedRing = new Map<string, string>();
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    const { id, ring } = await focusIndicator(page);
    if (id === "body" || order.includes(id)) break;
    order.push(id);
    focusedRing.set(id, ring);
  }
  // The same controls with nothing focused: a ring that is there anyway is no focus indicator.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  expect(order.slice(0, 4)).toEqual(["browse", "pause", "cancel", "cancel-all"]);
  for (const id of order.slice(0, 4)) {
    const idle = (await focusIndicator(page, id)).ring;
    expect({ id, focused: focusedRing.get(id) }).not.toEqual({ id, focused: "" });
    expect({ id, focused: focusedRing.get(id), idle }).not.toEqual({ id, focused: idle, idle });
  }

  await page.getByTestId("cancel-all").click();
  await waitForPhase(page, files.video.name, "cancelled");
  await page.close();
});
