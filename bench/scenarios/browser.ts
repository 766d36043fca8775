// Scenario 4: the built task pane in the playground attaches one large file in Chromium, against one
// fetch PUT of the same file from the same page to the same emulator, plus the longest main-thread
// task while uploading.
//
// The page is the playground's compose window (/) with the built dist/taskpane.html in its iframe,
// office.js replaced by the Outlook and NAA stand-ins talking to the bench emulator (as in the pane
// scenario). The engine run picks the file by path into the pane's own file input and is timed, in
// the pane's clock, from the input's change event to the row's data-phase="attached". The baseline
// runs in the same pane frame (same origin, same CORS path to the upload URL): the same file picked
// into an <input type=file> added for it, one fetch PUT of the File to an upload session of the same
// emulator with the range cap lifted. Long tasks come from a PerformanceObserver registered in every
// frame before any script (addInitScript); the worst entry overlapping the upload is reported.
import type { Frame, Page } from "playwright-core";
import type { BenchContext } from "../lib/context";
import { MiB } from "../lib/files";
import { ratio, summarize } from "../lib/stats";
import { makeAbsolute, makeRatio, type ScenarioResult } from "../lib/types";
import { launchBrowser } from "../../test/support/browser";
import { startPlayground } from "../../dev/playground/server";
import { watchNetwork } from "../lib/network";
import { DIST, preparePane } from "./pane";

interface PageResult {
  ms: number;
  longestTaskMs: number;
  longTasks: number;
  /** Pane runs: where the time went, from the pane frame's resource timing. */
  phases?: Phases;
}

/** Pick → first range sent, time on the wire per range (summed), pauses between ranges, last answer → row attached. */
interface Phases {
  ranges: number;
  beforeFirstRangeMs: number;
  rangesMs: number;
  betweenRangesMs: number;
  afterLastRangeMs: number;
}

interface Marks {
  longTasks: { start: number; duration: number }[];
  pickedAt?: number;
  attachedAt?: number;
}

/**
 * Runs in every frame before its scripts: records long tasks, the moment a file input changes
 * (capture phase, so before React's handler) and the moment a row first reads data-phase="attached".
 */
const INSTRUMENT = `(() => {
  const marks = (window.__benchMarks = { longTasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) marks.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  document.addEventListener("change", (event) => {
    const t = event.target;
    if (t instanceof HTMLInputElement && t.type === "file" && t.dataset.testid === "browse-input") {
      marks.pickedAt = performance.now();
      marks.attachedAt = undefined;
    }
  }, true);
  const attached = () => document.querySelector('[data-testid=file-row][data-phase="attached"]');
  new MutationObserver(() => {
    if (marks.pickedAt !== undefined && marks.attachedAt === undefined && attached()) {
      marks.attachedAt = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-phase"] });
})();`;

function describePhases(p: Phases) {
  return (
    `pick → first range ${p.beforeFirstRangeMs.toFixed(0)} ms, ${p.ranges} ranges ${p.rangesMs.toFixed(0)} ms ` +
    `(${(p.rangesMs / p.ranges).toFixed(1)} ms each), between ranges ${p.betweenRangesMs.toFixed(0)} ms ` +
    `(${(p.betweenRangesMs / Math.max(1, p.ranges - 1)).toFixed(1)} ms each), last answer → attached ` +
    `${p.afterLastRangeMs.toFixed(0)} ms`
  );
}

/** The pane frame of the playground page, once the pane is ready for files. */
async function openPane(page: Page, url: string): Promise<Frame> {
  await page.goto(url);
  const paneLocator = page.frameLocator("#pane");
  await paneLocator.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
  const frame = await (await page.locator("#pane").elementHandle())?.contentFrame();
  if (!frame) throw new Error("The playground page has no pane frame.");
  return frame;
}

function longestBetween(marks: Marks[], start: number, end: number) {
  const during = marks
    .flatMap((m) => m.longTasks)
    .filter((t) => t.start + t.duration >= start && t.start <= end);
  return {
    longestTaskMs: Math.max(0, ...during.map((t) => t.duration)),
    longTasks: during.length,
  };
}

/** Long-task marks of the top page and the pane frame (same event loop, either may get the entry). */
async function allMarks(page: Page, frame: Frame): Promise<Marks[]> {
  // Let the observers deliver the last entries (they are buffered and batched).
  await frame.waitForTimeout(100);
  const read = (f: Frame) =>
    f.evaluate(() => (window as unknown as { __benchMarks: Marks }).__benchMarks);
  return [await read(page.mainFrame()), await read(frame)];
}

async function runBaseline(
  ctx: BenchContext,
  page: Page,
  frame: Frame,
  filePath: string
): Promise<PageResult> {
  const [itemId] = await ctx.emulator.newDrafts(1);
  await frame.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.id = "bench-baseline-file";
    input.hidden = true;
    document.body.append(input);
  });
  await frame.setInputFiles("#bench-baseline-file", filePath);
  ctx.emulator.setRangeCap(Number.MAX_SAFE_INTEGER);
  try {
    const timing = await frame.evaluate(
      async ({ graphUrl, token, itemId }) => {
        const input = document.getElementById("bench-baseline-file") as HTMLInputElement;
        const file = input.files![0];
        const created = await fetch(
          `${graphUrl}/me/messages/${encodeURIComponent(itemId)}/attachments/createUploadSession`,
          {
            method: "POST",
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
            body: JSON.stringify({
              AttachmentItem: { attachmentType: "file", name: file.name, size: file.size },
            }),
          }
        );
        const { uploadUrl } = (await created.json()) as { uploadUrl: string };
        const started = performance.now();
        const response = await fetch(uploadUrl, {
          method: "PUT",
          headers: {
            "Content-Type": "application/octet-stream",
            "Content-Range": `bytes 0-${file.size - 1}/${file.size}`,
          },
          body: file,
        });
        await response.text();
        const ended = performance.now();
        input.remove();
        return { started, ended, status: response.status };
      },
      { graphUrl: ctx.emulator.graphUrl, token: ctx.emulator.token, itemId }
    );
    if (timing.status !== 201) throw new Error(`The single PUT answered ${timing.status}.`);
    const marks = await allMarks(page, frame);
    return {
      ms: timing.ended - timing.started,
      ...longestBetween(marks, timing.started, timing.ended),
    };
  } finally {
    ctx.emulator.setRangeCap("default");
  }
}

async function runPane(
  ctx: BenchContext,
  page: Page,
  frame: Frame,
  file: { path: string; name: string },
  timeoutMs: number
): Promise<PageResult> {
  await frame.setInputFiles("[data-testid=browse-input]", file.path);
  const row = `[data-testid=file-row][data-name="${file.name}"]`;
  await frame
    .locator(`${row}[data-phase="attached"], ${row}[data-phase="failed"]`)
    .waitFor({ timeout: timeoutMs });
  const phase = await frame.locator(row).getAttribute("data-phase");
  if (phase !== "attached") {
    const status = await frame
      .locator(`${row} [data-testid=file-status]`)
      .textContent()
      .catch(() => "");
    throw new Error(`The pane's upload ended ${phase}: ${status}`);
  }
  const marks = await allMarks(page, frame);
  const pane = marks[1];
  if (pane.pickedAt === undefined || pane.attachedAt === undefined) {
    throw new Error("The pane frame recorded no pick or no attached row.");
  }
  const picked = pane.pickedAt;
  const attached = pane.attachedAt;
  const xhrs = await frame.evaluate(
    ({ picked, attached }) =>
      performance
        .getEntriesByType("resource")
        .filter(
          (e) =>
            (e as PerformanceResourceTiming).initiatorType === "xmlhttprequest" &&
            e.startTime >= picked &&
            e.startTime <= attached
        )
        .map((e) => ({ start: e.startTime, end: (e as PerformanceResourceTiming).responseEnd })),
    { picked, attached }
  );
  const phases: Phases | undefined = xhrs.length
    ? {
        ranges: xhrs.length,
        beforeFirstRangeMs: xhrs[0].start - picked,
        rangesMs: xhrs.reduce((n, x) => n + (x.end - x.start), 0),
        betweenRangesMs: xhrs.slice(1).reduce((n, x, i) => n + (x.start - xhrs[i].end), 0),
        afterLastRangeMs: attached - xhrs[xhrs.length - 1].end,
      }
    : undefined;
  return {
    ms: attached - picked,
    ...longestBetween(marks, picked, attached),
    phases,
  };
}

export async function browserScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  await preparePane(ctx);
  const file = await ctx.files.make("browser.bin", settings.largeFileBytes, 4);
  const server = await startPlayground({
    emulator: {
      url: ctx.emulator.url,
      graphUrl: ctx.emulator.graphUrl,
      uploadOrigin: ctx.emulator.uploadOrigin,
    },
    distDir: DIST,
  });
  const browser = await launchBrowser();
  // Observed, not intercepted: routing would push every range through this process (lib/network.ts).
  const network = watchNetwork(browser.context);
  const results = { engine: [] as PageResult[], baseline: [] as PageResult[] };
  const intact = () => ctx.emulator.attachments().filter((a) => a.sha256 === file.sha256).length;
  try {
    await browser.context.addInitScript(INSTRUMENT);
    for (let run = 0; run < settings.browserRuns; run++) {
      await ctx.emulator.reset();
      const page = await browser.context.newPage();
      page.on("dialog", (dialog) => void dialog.accept());
      try {
        const frame = await openPane(page, server.url);
        // Baseline first, then the pane, in the same page and frame, on a freshly reset emulator.
        const baseline = await runBaseline(ctx, page, frame, file.path);
        if (intact() !== 1) throw new Error("browser baseline: the emulator holds no intact copy.");
        const engine = await runPane(ctx, page, frame, file, settings.quick ? 60_000 : 180_000);
        if (intact() !== 2) throw new Error("browser pane: the emulator holds no intact copy.");
        results.baseline.push(baseline);
        results.engine.push(engine);
        for (const [kind, r] of [
          ["baseline", baseline],
          ["pane", engine],
        ] as const) {
          ctx.log(
            `  browser run ${run + 1}/${settings.browserRuns} ${kind}: ${r.ms.toFixed(0)} ms, ` +
              `longest task ${r.longestTaskMs.toFixed(0)} ms` +
              (r.phases ? ` (${describePhases(r.phases)})` : "")
          );
        }
      } finally {
        await page.close();
      }
    }
    network.assertLoopbackOnly();
  } finally {
    await browser.close();
    await server.close();
  }
  const time = (k: "engine" | "baseline") => summarize(results[k].map((r) => r.ms));
  const longest = (k: "engine" | "baseline") => summarize(results[k].map((r) => r.longestTaskMs));
  const worstEngineTask = Math.max(...results.engine.map((r) => r.longestTaskMs));
  const phased = results.engine.flatMap((r) => (r.phases ? [r.phases] : []));
  const median = (pick: (p: Phases) => number) => summarize(phased.map(pick)).median;
  const phaseNote = phased.length
    ? [
        "Where the task pane's time went (medians over runs, from the pane frame's resource timing): " +
          describePhases({
            ranges: median((p) => p.ranges),
            beforeFirstRangeMs: median((p) => p.beforeFirstRangeMs),
            rangesMs: median((p) => p.rangesMs),
            betweenRangesMs: median((p) => p.betweenRangesMs),
            afterLastRangeMs: median((p) => p.afterLastRangeMs),
          }) +
          `; the baseline moved the whole file in ${time("baseline").median.toFixed(0)} ms.`,
      ]
    : [];
  return {
    id: "browser",
    title: `Browser (Chromium): the built task pane in the playground, one ${settings.largeFileBytes / MiB} MiB file`,
    params: {
      fileBytes: file.size,
      runs: settings.browserRuns,
      page: "playground compose window with dist/taskpane.html in its iframe (Outlook/NAA stand-ins)",
    },
    measurements: [
      {
        key: "browser.baseline.time",
        label: "single fetch PUT from the pane frame (baseline): time",
        unit: "ms",
        summary: time("baseline"),
      },
      {
        key: "browser.engine.time",
        label: "task pane: pick → row attached",
        unit: "ms",
        summary: time("engine"),
      },
      {
        key: "browser.engine.longtask",
        label: "task pane: longest main-thread task while uploading",
        unit: "ms",
        summary: longest("engine"),
      },
      {
        key: "browser.baseline.longtask",
        label: "baseline: longest main-thread task while uploading",
        unit: "ms",
        summary: longest("baseline"),
      },
    ],
    ratios: [
      makeRatio(
        "browser.engine/baseline",
        "task pane throughput / single-PUT throughput",
        ratio(time("baseline"), time("engine")),
        { op: ">=", value: 0.85 }
      ),
      makeAbsolute(
        "browser.longtask",
        "longest main-thread task during task pane uploads (worst run)",
        worstEngineTask,
        "ms",
        { op: "<=", value: 50 }
      ),
    ],
    notes: [
      "The task pane time runs from the file input's change event to the row's data-phase=\"attached\" " +
        "(pane's own clock): it includes the token, createUploadSession and every range. The baseline " +
        "times only the one fetch PUT (its upload session is created before the clock starts).",
      "Long tasks come from PerformanceObserver('longtask') in the top page and the pane frame, which only " +
        "reports tasks over 50 ms; 0 means none.",
      ...phaseNote,
    ],
  };
}
