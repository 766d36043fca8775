// Accessibility, layout and screenshots of the real built task pane, served by the playground with the
// office.js stand-in (so the pane runs its production code against the Graph emulator). For each Office
// theme and display language, one page goes through six states — idle, uploading (held there by the
// emulator's bandwidth cap), paused, failed with details open, resumed and done — and each state is
// scanned with axe, checked for horizontal overflow and photographed at 280 and 360 px into
// test-results/pane/. Then: 280 px geometry (names, units, error codes, the drop prompt, long errors)
// and the keyboard (a visible ring from the first Tab into the pane; focus kept on the row's next action).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Frame, Page } from "playwright-core";
import {
  MiB,
  NO_FAULTS,
  RESULTS_DIR,
  openPane,
  openPlayground,
  paneFrame,
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
const WIDTHS = [NARROWEST, PANE_WIDTH] as const;
const THEMES = ["light", "dark"] as const;
const LANGS = ["en-US", "zh-CN"] as const;
type Theme = (typeof THEMES)[number];
type Lang = (typeof LANGS)[number];

let fixture: PaneFixture;
let files: Record<"video" | "notes" | "overTenant" | "tooBig", TestFile>;

beforeAll(async () => {
  await mkdir(SHOTS_DIR, { recursive: true });
  fixture = await startFixture({ viewport: { width: PANE_WIDTH, height: 640 } });
  const dir = fixture.dir;
  files = {
    // A long name: the row must truncate it in the middle, keeping ".mp4", not push the pane sideways.
    video: await writeFile(
      dir,
      "Site survey walkthrough with drone footage (north wing).mp4",
      24 * MiB
    ),
    notes: await writeFile(dir, "Meeting notes.docx", 1 * MiB),
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
  // Violations in full; of the passes only which rules ran (axe then collects one node per passed
  // rule instead of every node, most of a scan's cost on a pane this size).
  const result = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  // A scan that saw no text or buttons (a blank or half-loaded page) would pass for the wrong reason.
  const checked = [...result.passes, ...result.violations].map((rule) => rule.id);
  expect(checked).toEqual(
    expect.arrayContaining(["color-contrast", "button-name", "landmark-one-main"])
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
  );
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

/**
 * One state: at 280 and 360 px no horizontal overflow and a screenshot; at 360 px an axe scan.
 * Returns what went wrong (an empty list passes).
 */
async function checkState(page: Page, state: string, theme: Theme, lang: Lang) {
  // axe in every state; in Chinese (the same markup, other text) where the text differs most.
  const scan = lang === "en-US" || state === "idle" || state === "failed";
  const problems: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 640 });
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    if (scrollWidth > clientWidth)
      problems.push(`${state} ${width}px: scrollWidth ${scrollWidth} > ${clientWidth}`);
    problems.push(...(await layoutProblems(page)).map((p) => `${state} ${width}px: ${p}`));
    await page.screenshot({
      path: path.join(SHOTS_DIR, `${state}-${width}-${theme}-${lang}.png`),
      fullPage: true,
    });
  }
  if (scan) problems.push(...(await axeViolations(page)).map((v) => `${state}: ${v}`));
  return problems;
}

describe.each(THEMES.flatMap((theme) => LANGS.map((lang) => [theme, lang] as const)))(
  "the task pane, %s theme, %s",
  (theme, lang) => {
    it("idle, uploading, paused, failed with details, resumed, done: no axe violations, no overflow at 280 and 360 px; screenshots", async () => {
      const page = await openPane(fixture, { theme, lang, subject: "Quarterly report" });
      await page.locator(`html[lang="${lang}"]`).waitFor();
      const luminance = await backgroundLuminance(page);
      if (theme === "dark") expect(luminance).toBeLessThan(0.1);
      else expect(luminance).toBeGreaterThan(0.9);
      const problems = await checkState(page, "idle", theme, lang);

      // 1 MB/s holds the 24 MiB file in "uploading" for about 24 s: far from its last range (which
      // a pause lets finish) when it is paused below.
      fixture.emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
      await page.getByTestId("browse-input").setInputFiles([files.notes.path, files.video.path]);
      await waitForPhase(page, files.notes.name, "attached");
      await waitForProgress(page, files.video.name, 0.1);
      await row(page, files.video.name)
        .getByText(/\/\u2060?(s|秒)/)
        .waitFor();
      problems.push(...(await checkState(page, "uploading", theme, lang)));

      await row(page, files.video.name).getByTestId("pause").click();
      await waitForPhase(page, files.video.name, "paused");
      problems.push(...(await checkState(page, "paused", theme, lang)));

      // The tenant limit refuses the next file part-way, and a file over 150 MB is refused on pick.
      // Uncapped meanwhile (the video waits paused): the refusal comes at the same byte, sooner.
      fixture.emulator.configure({
        maxMessageSizeBytes: 6 * MiB,
        faults: { bandwidthBytesPerSec: 0 },
      });
      await page
        .getByTestId("browse-input")
        .setInputFiles([files.overTenant.path, files.tooBig.path]);
      await page.locator('[data-testid=notice][data-kind="too-large"]').waitFor();
      await waitForPhase(page, files.overTenant.name, "failed", 30_000);
      await row(page, files.overTenant.name).locator("summary").click();
      await row(page, files.overTenant.name).locator("dd").first().waitFor();
      problems.push(...(await checkState(page, "failed", theme, lang)));

      fixture.emulator.configure({
        maxMessageSizeBytes: 150 * MiB,
        faults: { bandwidthBytesPerSec: 1 * MiB },
      });
      await row(page, files.overTenant.name).getByTestId("remove").click();
      await row(page, files.video.name).getByTestId("resume").click();
      await page
        .locator(`[data-testid=file-row][data-name="${files.video.name}"][data-phase="uploading"]`)
        .waitFor();
      problems.push(...(await checkState(page, "resumed", theme, lang)));

      fixture.emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
      await waitForPhase(page, files.video.name, "attached");
      await page
        .locator('[data-testid=file-verification][data-verification="visible"]')
        .nth(1)
        .waitFor();
      problems.push(...(await checkState(page, "done", theme, lang)));
      expect(problems).toEqual([]);
      expect(fixture.emulator.openSessions()).toEqual([]);
      await page.close();
    }, 180_000);
  }
);

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

/** Geometry of the pane at its current width: what a person at 280 px (or any width) would see go wrong. */
async function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const rectsOf = (node: Node, start: number, end: number) => {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      return [...range.getClientRects()].filter((r) => r.width > 0);
    };
    const lines = (rects: DOMRect[]) => new Set(rects.map((r) => Math.round(r.top))).size;
    // Shown to the eye: not display:none, not the visually hidden copies for screen readers.
    const visible = (el: Element) => {
      if ((el as HTMLElement).offsetParent === null) return false;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.visibility === "hidden" || (style.clip && style.clip !== "auto")) return false;
      }
      return true;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const unit = /\d[\d.,]*(\s|\u00a0)?(B|KB|MB|s|min|h|bytes|秒|分钟|小时|字节)(?![A-Za-z])/g;
    const viewport = document.documentElement.clientWidth;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !visible(parent) || parent.closest("[aria-hidden=true], script, style"))
        continue;
      const text = node.textContent ?? "";
      // A number and its unit: one line, joined by a no-break space.
      for (const match of text.matchAll(unit)) {
        const start = match.index ?? 0;
        const end = start + match[0].length;
        if (match[1] === " ") problems.push(`breakable space in "${match[0]}"`);
        if (lines(rectsOf(node, start, end)) > 1)
          problems.push(`"${match[0]}" breaks across lines`);
      }
      for (const rect of rectsOf(node, 0, text.length))
        if (rect.right > viewport + 1 && !parent.closest("[data-part=head]"))
          problems.push(`"${text.slice(0, 30)}" runs past the pane (${Math.round(rect.right)}px)`);
    }
    // The long name: truncated in the middle, its extension visible.
    for (const tail of document.querySelectorAll<HTMLElement>("[data-part=tail]")) {
      if (tail.scrollWidth > tail.clientWidth + 1 || !/\.\w+$/.test(tail.textContent ?? ""))
        problems.push(`name end "${tail.textContent}" is cut`);
      const box = tail.closest("[data-testid=file-name]")!.getBoundingClientRect();
      if (tail.getBoundingClientRect().right > box.right + 1)
        problems.push(`name end "${tail.textContent}" overflows its box`);
    }
    // Error codes wrap between their words, never inside one.
    for (const dd of document.querySelectorAll<HTMLElement>("[data-testid=error-details] dd")) {
      const code =
        dd.dataset.code ?? (/^[A-Z][A-Za-z]+$/.test(dd.textContent ?? "") ? dd.textContent : null);
      if (!code) continue;
      const nodes: Text[] = [];
      const inner = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
      for (let n = inner.nextNode(); n; n = inner.nextNode()) nodes.push(n as Text);
      for (const textNode of nodes)
        for (const word of (textNode.textContent ?? "").matchAll(/[A-Z][a-z0-9]+/g)) {
          const at = word.index ?? 0;
          if (lines(rectsOf(textNode, at, at + word[0].length)) > 1)
            problems.push(`"${word[0]}" of ${code} breaks inside the word`);
        }
    }
    // A failed row's message keeps to two lines; the rest is under Details.
    for (const status of document.querySelectorAll<HTMLElement>(
      "[data-phase=failed] [data-testid=file-status]"
    )) {
      const lineHeight = parseFloat(getComputedStyle(status).lineHeight);
      if (status.getBoundingClientRect().height > 2 * lineHeight + 2)
        problems.push(
          `error message is ${Math.round(status.getBoundingClientRect().height)}px tall`
        );
    }
    // The drop prompt's lines are centred like the button under them.
    const hint = document.querySelector<HTMLElement>("[data-testid=drop-hint]");
    const zone = hint?.closest("section")?.getBoundingClientRect();
    if (hint?.firstChild && zone) {
      const centre = zone.left + zone.width / 2;
      for (const rect of rectsOf(hint.firstChild, 0, hint.firstChild.textContent!.length))
        if (Math.abs(rect.left + rect.width / 2 - centre) > 3)
          problems.push(
            `drop prompt line off centre by ${Math.round(rect.left + rect.width / 2 - centre)}px`
          );
    }
    return problems;
  });
}

describe.each(LANGS)("at 280 px in %s", (lang) => {
  it("names keep their extension, numbers keep their units, codes wrap between words, the prompt is centred, errors keep to two lines", async () => {
    const page = await openPane(fixture, { lang, subject: "Quarterly report" });
    await page.setViewportSize({ width: NARROWEST, height: 640 });
    // One upload moving (speed and time left shown) and one refused by the tenant limit, with Details
    // open: the video waits paused while the limit is lowered for the other file.
    fixture.emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
    await page.getByTestId("browse-input").setInputFiles(files.video.path);
    await waitForProgress(page, files.video.name, 0.02);
    await row(page, files.video.name).getByTestId("pause").click();
    await waitForPhase(page, files.video.name, "paused");
    // Uncapped while the video waits paused: the refusal comes at the same byte, sooner.
    fixture.emulator.configure({
      maxMessageSizeBytes: 6 * MiB,
      faults: { bandwidthBytesPerSec: 0 },
    });
    await page.getByTestId("browse-input").setInputFiles(files.overTenant.path);
    await waitForPhase(page, files.overTenant.name, "failed", 30_000);
    await row(page, files.overTenant.name).locator("summary").click();
    fixture.emulator.configure({
      maxMessageSizeBytes: 150 * MiB,
      faults: { bandwidthBytesPerSec: 1 * MiB },
    });
    await row(page, files.video.name).getByTestId("resume").click();
    await row(page, files.video.name)
      .getByText(/\/\u2060?(s|秒)/)
      .waitFor({ timeout: 30_000 });
    // A notice with sizes in it, too.
    await page.getByTestId("browse-input").setInputFiles(files.tooBig.path);
    await page.locator('[data-testid=notice][data-kind="too-large"]').waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    // The full name is the tooltip and what a screen reader reads.
    const name = row(page, files.video.name).getByTestId("file-name");
    expect(await name.locator("[title]").getAttribute("title")).toBe(files.video.name);
    const snapshot = await row(page, files.video.name).ariaSnapshot();
    expect(snapshot).toContain(files.video.name);
    await page.getByTestId("cancel-all").click();
    await waitForPhase(page, files.video.name, "cancelled");
    await page.close();
  });
});

/** The ring a sighted keyboard user sees on the focused element, and its contrast with the pane. */
async function focusRing(frame: Frame | Page) {
  return frame.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: "body", ring: "", contrast: 0 };
    const parse = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const c = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
    };
    const colours: string[] = [];
    for (const pseudo of [null, "::after", "::before"]) {
      const style = getComputedStyle(el, pseudo);
      if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        colours.push(style.outlineColor);
      const shadow = style.boxShadow;
      if (shadow && shadow !== "none") colours.push(...(shadow.match(/rgba?\([^)]*\)/g) ?? []));
      if (pseudo && style.content !== "none" && parseFloat(style.borderTopWidth) > 0)
        colours.push(style.borderTopColor);
    }
    const opaque = colours.filter((c) => !/rgba\([^)]*,\s*0\)/.test(c));
    const background = luminance(parse(getComputedStyle(document.body).backgroundColor));
    const contrast = Math.max(
      0,
      ...opaque.map((c) => {
        const l = luminance(parse(c));
        return (Math.max(l, background) + 0.05) / (Math.min(l, background) + 0.05);
      })
    );
    return {
      id: el.getAttribute("data-testid") ?? el.tagName,
      ring: opaque.join(" "),
      contrast: Math.round(contrast * 10) / 10,
    };
  });
}

describe.each(THEMES)("keyboard, %s theme", (theme) => {
  it("the first Tab into the pane shows a ring (3:1 or more); Pause, Resume, Cancel and Retry keep focus on the row's next action", async () => {
    fixture.emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
    const { page, pane } = await openPlayground(fixture);
    if (theme === "dark") {
      await page.locator("#theme").selectOption("dark");
      await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
    }
    const frame = paneFrame(page);
    // From the last control of the page around the pane (Outlook's side), Tab into it.
    await page.locator("#reset-faults").focus();
    await page.keyboard.press("Tab");
    const first = await focusRing(frame);
    expect(first.id).toBe("browse");
    expect(first.contrast).toBeGreaterThanOrEqual(3);

    await pane.getByTestId("browse-input").setInputFiles(files.video.path);
    await waitForProgress(pane, files.video.name, 0.02);
    const press = async (testId: string) => {
      await row(pane, files.video.name).getByTestId(testId).focus();
      await page.keyboard.press("Enter");
    };
    const focused = async () => (await focusRing(frame)).id;
    await press("pause");
    await waitForPhase(pane, files.video.name, "paused");
    expect(await focused()).toBe("resume");
    await page.keyboard.press("Enter");
    await pane
      .locator(`[data-testid=file-row][data-name="${files.video.name}"]:not([data-phase="paused"])`)
      .waitFor();
    expect(await focused()).toBe("pause");
    // A Tab moves on, with its ring (Fluent's own tracking from here on).
    await page.keyboard.press("Tab");
    const cancel = await focusRing(frame);
    expect(cancel.id).toBe("cancel");
    expect(cancel.contrast).toBeGreaterThanOrEqual(3);
    await page.keyboard.press("Enter");
    await waitForPhase(pane, files.video.name, "cancelled");
    expect(await focused()).toBe("retry");
    await page.keyboard.press("Enter");
    await pane
      .locator(
        `[data-testid=file-row][data-name="${files.video.name}"]:not([data-phase="cancelled"])`
      )
      .waitFor();
    expect(await focused()).toBe("pause");
    await pane.getByTestId("cancel-all").click();
    await waitForPhase(pane, files.video.name, "cancelled");
    await page.close();
  });
});
