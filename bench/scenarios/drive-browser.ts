// Scenario 8: the OneDrive route in Chromium, in the playground's pane frame, against one fetch PUT
// of the whole file to a drive upload URL from the same frame (same origin, same CORS path; the
// drive range rules lifted for that PUT, its session made before the clock, as in scenario 4).
//
// What runs the route: the engine's shareFile with the XHR transport the task pane uses
// (src/taskpane/root.tsx), bundled by esbuild and added to the pane frame
// (bench/clients/browser-drive.ts), on the same File the baseline sends. The pane's own "Share as
// a link" flow was not on main when this scenario was written; the engine in the pane frame is
// the same code and transport the pane runs, without the React rows around it.
import { resolve } from "node:path";
import { build } from "esbuild";
import type { Frame, Page } from "playwright-core";
import type { BenchShareInput } from "../clients/browser-drive";
import { BENCH_DRIVE_FOLDER, createDriveSession } from "../clients/graph";
import type { BenchContext } from "../lib/context";
import { MiB } from "../lib/files";
import { ratio, summarize } from "../lib/stats";
import { makeRatio, type ScenarioResult } from "../lib/types";
import {
  addBaselineInput,
  allMarks,
  inPlaygroundPane,
  longestBetween,
  timedPuts,
  type PageResult,
} from "./browser";

/** The route's page script, built once per bench process. */
let bundle: Promise<string> | undefined;
function routeScript(): Promise<string> {
  bundle ??= build({
    entryPoints: [resolve(__dirname, "../clients/browser-drive.ts")],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "chrome120",
    write: false,
    logLevel: "error",
  }).then((out) => out.outputFiles[0].text);
  return bundle;
}

/** One fetch PUT of the baseline File to a fresh drive session, the range rules lifted. */
async function runDriveBaseline(
  ctx: BenchContext,
  page: Page,
  frame: Frame,
  name: string
): Promise<PageResult> {
  ctx.emulator.setDriveRangeRules(false);
  try {
    const { graphUrl, token } = ctx.emulator;
    const uploadUrl = await createDriveSession(graphUrl, token, { name });
    const timing = await timedPuts(frame, uploadUrl);
    if (timing.status !== 201 && timing.status !== 200) {
      throw new Error(`The single drive PUT answered ${timing.status}.`);
    }
    const marks = await allMarks(page, frame);
    return {
      ms: timing.ended - timing.started,
      ...longestBetween(marks, timing.started, timing.ended),
    };
  } finally {
    ctx.emulator.setDriveRangeRules(true);
  }
}

/** The engine's drive route on the same File in the pane frame, with the pane's XHR transport. */
async function runDriveRoute(ctx: BenchContext, page: Page, frame: Frame): Promise<PageResult> {
  // Evaluated through the DevTools protocol: the pane's CSP (script-src 'self') refuses an inline
  // <script>, as it should.
  await frame.evaluate(`${await routeScript()};undefined`);
  const input: BenchShareInput = {
    graphUrl: ctx.emulator.graphUrl,
    uploadOrigin: ctx.emulator.uploadOrigin,
    token: ctx.emulator.token,
    folder: BENCH_DRIVE_FOLDER,
  };
  const timing = await frame.evaluate(
    (i) =>
      (
        window as unknown as {
          __benchShare(i: BenchShareInput): Promise<{ started: number; ended: number }>;
        }
      ).__benchShare(i),
    input
  );
  const marks = await allMarks(page, frame);
  return {
    ms: timing.ended - timing.started,
    ...longestBetween(marks, timing.started, timing.ended),
  };
}

export async function driveBrowserScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const file = await ctx.files.make("drive-browser.bin", settings.largeFileBytes, 9);
  const results = { baseline: [] as PageResult[], route: [] as PageResult[] };
  // The route stores the same name again: with conflictBehavior rename it becomes "… 1.bin".
  const intact = () => ctx.emulator.driveFiles().filter((f) => f.sha256 === file.sha256).length;
  try {
    await inPlaygroundPane(ctx, settings.browserRuns, async (page, frame, run) => {
      await addBaselineInput(frame, file.path);
      const baseline = await runDriveBaseline(ctx, page, frame, file.name);
      if (intact() !== 1) throw new Error("drive-browser baseline: no intact copy in the drive.");
      const route = await runDriveRoute(ctx, page, frame);
      if (intact() !== 2) throw new Error("drive-browser route: no intact copy in the drive.");
      results.baseline.push(baseline);
      results.route.push(route);
      for (const [kind, r] of [
        ["single PUT", baseline],
        ["OneDrive route", route],
      ] as const) {
        ctx.log(
          `  drive-browser run ${run + 1}/${settings.browserRuns} ${kind}: ${r.ms.toFixed(0)} ms, ` +
            `longest task ${r.longestTaskMs.toFixed(0)} ms`
        );
      }
    });
  } finally {
    await ctx.files.remove(file);
  }
  const time = (k: keyof typeof results) => summarize(results[k].map((r) => r.ms));
  return {
    id: "drive-browser",
    title: `Browser (Chromium): the OneDrive route in the pane frame, one ${settings.largeFileBytes / MiB} MiB file`,
    params: {
      fileBytes: file.size,
      runs: settings.browserRuns,
      route: "engine shareFile with the pane's XHR transport, in the playground's pane frame",
    },
    measurements: [
      {
        key: "drive-browser.baseline.time",
        label: "single fetch PUT to a drive upload URL from the pane frame (baseline): time",
        unit: "ms",
        summary: time("baseline"),
      },
      {
        key: "drive-browser.route.time",
        label: "OneDrive route in the pane frame: folder → link",
        unit: "ms",
        summary: time("route"),
      },
      {
        key: "drive-browser.route.longtask",
        label: "OneDrive route: longest main-thread task while uploading",
        unit: "ms",
        summary: summarize(results.route.map((r) => r.longestTaskMs)),
      },
    ],
    ratios: [
      makeRatio(
        "drive-browser.route/baseline",
        "OneDrive route throughput / single drive PUT throughput",
        ratio(time("baseline"), time("route")),
        { op: ">=", value: 0.9 }
      ),
    ],
    notes: [
      "The route's time runs from the shareFile call to its result (frame clock): the folder check, " +
        "createUploadSession, every range and createLink. The baseline times only its PUT (its session, " +
        "folder made sure of, is created before the clock starts; the drive range rules lifted for it).",
      "The route is the engine (the pane's code and XHR transport) added to the pane frame, not the pane's " +
        "Share-as-a-link rows: those were not on main when the scenario was written.",
    ],
  };
}
