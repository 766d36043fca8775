// Scenario 8: the OneDrive route in Chromium, in the playground's pane frame, against one fetch PUT
// of the whole file to a drive upload URL from the same frame (same origin, same CORS path; the
// drive range rules lifted for that PUT, its session made before the clock, as in scenario 4).
//
// Two routes beside the baseline in each run, the three in turn (browser.ts inTurn): the engine's
// shareFile with the XHR transport the task pane uses (src/taskpane/root.tsx), bundled by esbuild
// and evaluated into the pane frame (bench/clients/browser-drive.ts) on the same File; and the task
// pane's own "Share as a link" on the file picked into it. The pane's is judged; when the built pane has no such button (built
// before the route existed), the engine's is, and the notes say so.
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
  describePhases,
  inPlaygroundPane,
  inTurn,
  longestBetween,
  medianPhases,
  rangePhases,
  timedPuts,
  traced,
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
    phases: await rangePhases(frame, ctx.emulator.uploadOrigin, timing.started, timing.ended),
  };
}

/** The pane's limit in this scenario: any bench file is refused at pick and offered "Share as a link". */
const PANE_LIMIT = 1024 * 1024;

/**
 * The task pane's own OneDrive route: the file picked into the pane, refused at pick (over the
 * pane's limit), "Share as a link" clicked; timed in the pane frame from that click to the row's
 * data-phase="shared". Undefined when the built pane offers no "Share as a link" (a pane built
 * before the route existed).
 */
async function runPaneShare(
  ctx: BenchContext,
  page: Page,
  frame: Frame,
  file: { path: string; name: string },
  timeoutMs: number
): Promise<PageResult | undefined> {
  await frame.setInputFiles("[data-testid=browse-input]", file.path);
  const share = frame.locator(
    '[data-testid=notice][data-kind="over-limit"] [data-testid=share-refused]'
  );
  if (
    !(await share.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false
    ))
  )
    return undefined;
  await share.first().click();
  const row = `[data-testid=file-row][data-name="${file.name}"]`;
  await frame
    .locator(`${row}[data-phase="shared"], ${row}[data-phase="failed"]`)
    .waitFor({ timeout: timeoutMs });
  const phase = await frame.locator(row).getAttribute("data-phase");
  if (phase !== "shared") throw new Error(`The pane's share ended ${phase}.`);
  const marks = await allMarks(page, frame);
  const { shareClickedAt, sharedAt } = marks[1];
  if (shareClickedAt === undefined || sharedAt === undefined) {
    throw new Error("The pane frame recorded no Share click or no shared row.");
  }
  return {
    ms: sharedAt - shareClickedAt,
    ...longestBetween(marks, shareClickedAt, sharedAt),
    phases: await rangePhases(frame, ctx.emulator.uploadOrigin, shareClickedAt, sharedAt),
  };
}

export async function driveBrowserScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const file = await ctx.files.make("drive-browser.bin", settings.largeFileBytes, 9);
  const results = {
    baseline: [] as PageResult[],
    pane: [] as PageResult[],
    engine: [] as PageResult[],
  };
  let paneMissing = false;
  // Each route stores the same name again: with conflictBehavior rename, "… 1.bin", "… 2.bin".
  const intact = () => ctx.emulator.driveFiles().filter((f) => f.sha256 === file.sha256).length;
  try {
    await inPlaygroundPane(
      ctx,
      settings.browserRuns,
      async (page, frame, run) => {
        await addBaselineInput(frame, file.path);
        // In turn (inTurn): each goes first, second and third over the runs.
        const storing =
          <T extends PageResult | undefined>(what: string, upload: () => Promise<T>) =>
          async () => {
            const before = intact();
            const result = await upload();
            if (result && intact() !== before + 1)
              throw new Error(`drive-browser ${what}: no intact copy in the drive.`);
            return result;
          };
        const [baseline, engine, pane] = await inTurn<
          [PageResult, PageResult, PageResult | undefined]
        >(run, [
          storing("baseline", () => runDriveBaseline(ctx, page, frame, file.name)),
          storing("engine", () =>
            traced(page, `drive-browser-engine-${run + 1}`, () => runDriveRoute(ctx, page, frame))
          ),
          storing("pane", async () =>
            paneMissing
              ? undefined
              : traced(page, `drive-browser-pane-${run + 1}`, () =>
                  runPaneShare(ctx, page, frame, file, settings.quick ? 60_000 : 180_000)
                )
          ),
        ]);
        paneMissing ||= pane === undefined;
        results.baseline.push(baseline);
        results.engine.push(engine);
        if (pane) results.pane.push(pane);
        const runs: [string, PageResult | undefined][] = [
          ["single PUT", baseline],
          ["engine in the pane frame", engine],
          ["task pane", pane],
        ];
        for (const [kind, r] of runs) {
          if (!r) continue;
          ctx.log(
            `  drive-browser run ${run + 1}/${settings.browserRuns} ${kind}: ${r.ms.toFixed(0)} ms, ` +
              `longest task ${r.longestTaskMs.toFixed(0)} ms` +
              (r.phases && kind !== "single PUT"
                ? ` (${describePhases(r.phases, "start", "end")})`
                : "")
          );
        }
      },
      { messageSizeLimit: PANE_LIMIT }
    );
  } finally {
    await ctx.files.remove(file);
  }
  type Kind = keyof typeof results;
  const time = (k: Kind) => summarize(results[k].map((r) => r.ms));
  // The pane's route is what is judged; without it (a pane built before it), the engine in its frame.
  const judged: "pane" | "engine" = results.pane.length ? "pane" : "engine";
  const label = { pane: "task pane", engine: "engine in the pane frame" } as const;
  const phaseNotes = (["pane", "engine"] as const).flatMap((k) => {
    const phases = medianPhases(results[k]);
    const [start, end] = k === "pane" ? ["click", "shared"] : ["call", "result"];
    return phases
      ? [
          `Where the ${label[k]}'s time went (medians, resource timing): ${describePhases(phases, start, end)}.`,
        ]
      : [];
  });
  return {
    id: "drive-browser",
    title: `Browser (Chromium): the OneDrive route in the playground, one ${settings.largeFileBytes / MiB} MiB file`,
    params: { fileBytes: file.size, runs: settings.browserRuns, judged: label[judged] },
    measurements: [
      {
        key: "drive-browser.baseline.time",
        label: "single fetch PUT to a drive upload URL from the pane frame (baseline): time",
        unit: "ms",
        summary: time("baseline"),
      },
      ...(["pane", "engine"] as const)
        .filter((k) => results[k].length)
        .flatMap((k) => [
          {
            key: `drive-browser.${k}.time`,
            label: `${label[k]}: ${k === "pane" ? "Share as a link → shared" : "shareFile call → result"}`,
            unit: "ms" as const,
            summary: time(k),
          },
          {
            key: `drive-browser.${k}.longtask`,
            label: `${label[k]}: longest main-thread task while uploading`,
            unit: "ms" as const,
            summary: summarize(results[k].map((r) => r.longestTaskMs)),
          },
        ]),
    ],
    ratios: [
      makeRatio(
        "drive-browser.route/baseline",
        `OneDrive route (${label[judged]}) throughput / single drive PUT throughput`,
        ratio(time("baseline"), time(judged)),
        { op: ">=", value: 0.9 }
      ),
      makeRatio(
        "drive-browser.engine/baseline",
        "engine's drive route in the pane frame throughput / single drive PUT throughput (extra)",
        ratio(time("baseline"), time("engine"))
      ),
    ],
    notes: [
      "The three uploads of a run go in turn: each is first, second and third over the runs " +
        "(a run's later uploads met the disk writing back the earlier ones).",
      "The baseline times only its PUT (its session, folder made sure of, is created before the clock " +
        "starts; the drive range rules lifted for it). The task pane's time runs from the click on " +
        "\"Share as a link\" (the file refused at pick: the pane's limit is 1 MiB here) to the row's " +
        'data-phase="shared" (pane clock): the drive token, the folder check, createUploadSession, every ' +
        "range and createLink. The engine row is shareFile with the pane's XHR transport evaluated into " +
        "the pane frame, timed from the call to its result.",
      ...phaseNotes,
      ...(paneMissing
        ? [
            'The built pane offered no "Share as a link" (dist/ built before the pane\'s OneDrive route): ' +
              "the engine in the pane frame is judged instead.",
          ]
        : []),
    ],
  };
}
