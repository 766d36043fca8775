// Scenario 5: the built task pane's weight and start. Chromium loads dist/taskpane.html from a
// loopback server (office.js answered from node_modules, as Microsoft's CDN would); every script
// the page requests before it is interactive (its resource timing's start time; a lazy chunk asked
// for before then counts even if it arrives later) is gzipped and summed, and the time from navigation
// to interactive is read from the page's own clock. "Interactive" = the first moment #container
// holds an enabled button or file input (the pane's "Browse files"); the first content paint of
// #container is reported too.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { BenchContext } from "../lib/context";
import { summarize } from "../lib/stats";
import { startPlayground } from "../../dev/playground/server";
import { makeAbsolute, type ScenarioResult } from "../lib/types";
import { launchBrowser } from "../../test/support/browser";
import { watchNetwork } from "../lib/network";

const ROOT = resolve(__dirname, "../..");
export const DIST = join(ROOT, "dist");

/** Runs in the page before its scripts: timestamps of first content and first control in #container. */
const MARKERS = `(() => {
  window.__paneMarks = {};
  const check = () => {
    const c = document.getElementById("container");
    if (!c) return;
    const marks = window.__paneMarks;
    if (marks.content === undefined && c.childElementCount > 0) marks.content = performance.now();
    if (marks.interactive === undefined && c.querySelector("button:not([disabled]), input[type=file]")) {
      marks.interactive = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** The newest file under src/ (or the config), to tell whether dist/ is stale. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const builds = new WeakMap<BenchContext, Promise<void>>();

/**
 * Builds dist/ when it is missing (or, when settings.buildPane, older than src/). Called by the
 * harness before the scenarios run (a full run waits for it, so no build competes with a
 * measurement; a quick run lets it go on beside the Node scenarios to stay within its time budget)
 * and again by the scenario, which waits for the same build.
 */
export function preparePane(ctx: BenchContext): Promise<void> {
  let build = builds.get(ctx);
  if (!build) {
    build = buildIfStale(ctx);
    build.catch(() => undefined); // reported by the scenario that waits for it
    builds.set(ctx, build);
  }
  return build;
}

async function buildIfStale(ctx: BenchContext): Promise<void> {
  const html = join(DIST, "taskpane.html");
  const stale =
    !existsSync(html) ||
    (ctx.settings.buildPane &&
      statSync(html).mtimeMs <
        Math.max(
          newestSource(join(ROOT, "src")),
          statSync(join(ROOT, "webpack.config.js")).mtimeMs
        ));
  if (!stale) return;
  ctx.log("  building the task pane (npx webpack --mode production)…");
  const child = spawn("npx", ["webpack", "--mode", "production"], { cwd: ROOT });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
  child.stderr.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  if (code !== 0) throw new Error(`The production build failed: ${output.slice(-600)}`);
  ctx.log("  task pane built");
}

export async function paneScenario(ctx: BenchContext): Promise<ScenarioResult> {
  await preparePane(ctx);
  // The built taskpane.html as the playground serves it: office.js replaced by the Outlook and NAA
  // stand-ins (talking to the bench emulator), so the pane gets a host and a compose item and can
  // become interactive outside Outlook. The stand-ins are not counted (office.js is not either).
  const server = await startPlayground({
    emulator: {
      url: ctx.emulator.url,
      graphUrl: ctx.emulator.graphUrl,
      uploadOrigin: ctx.emulator.uploadOrigin,
    },
    distDir: DIST,
  });
  const browser = await launchBrowser();
  const interactive: number[] = [];
  const content: number[] = [];
  const scriptsBeforeInteractive = new Set<string>();
  /** The lazy chunks the pane fetches once interactive (reported, not counted). */
  const scriptsAfterInteractive = new Set<string>();
  try {
    const { context } = browser;
    await context.addInitScript(MARKERS);
    // Nothing may leave the machine (the stand-ins replace office.js; the emulator is on loopback).
    const network = watchNetwork(context);
    for (let run = 0; run < ctx.settings.paneRuns; run++) {
      const page = await context.newPage();
      await page.goto(
        new URL(`/taskpane.html?item=bench-pane-${run}&subject=Bench`, server.url).href
      );
      await page
        .waitForFunction(
          () =>
            (window as unknown as { __paneMarks: { interactive?: number } }).__paneMarks
              .interactive !== undefined,
          undefined,
          { timeout: ctx.settings.quick ? 5_000 : 10_000 }
        )
        .catch(() => undefined);
      // Every script the page *requested* before it was interactive counts, also one still on
      // the wire then (a chunk asked for early must not slip out of the sum by arriving late): the
      // page's resource timing, read once the network is quiet, by each entry's start time.
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
      const { marks, requested } = await page.evaluate(() => {
        const marks = (
          window as unknown as { __paneMarks: { interactive?: number; content?: number } }
        ).__paneMarks;
        const until = marks.interactive ?? Infinity;
        const requested = performance
          .getEntriesByType("resource")
          .map((entry) => ({ url: entry.name, before: entry.startTime <= until }));
        return { marks, requested };
      });
      for (const { url, before } of requested) {
        const ours =
          url.startsWith(server.url) && !new URL(url).pathname.startsWith("/playground/");
        if (!ours || !/\.m?js(\?|$)/.test(url)) continue;
        (before ? scriptsBeforeInteractive : scriptsAfterInteractive).add(new URL(url).pathname);
      }
      if (marks.content !== undefined) content.push(marks.content);
      if (marks.interactive !== undefined) interactive.push(marks.interactive);
      ctx.log(
        `  pane run ${run + 1}/${ctx.settings.paneRuns}: content ${marks.content?.toFixed(0) ?? "—"} ms, ` +
          `interactive ${marks.interactive?.toFixed(0) ?? "never"} ms`
      );
      await page.close();
    }
    network.assertLoopbackOnly();
  } finally {
    await browser.close();
    await server.close();
  }
  const scripts = [...scriptsBeforeInteractive].sort().map((path) => {
    const bytes = readFileSync(join(DIST, decodeURIComponent(path)));
    return { path, raw: bytes.length, gzip: gzipSync(bytes).length };
  });
  const gzipKB = scripts.reduce((n, s) => n + s.gzip, 0) / 1000;
  const rawKB = scripts.reduce((n, s) => n + s.raw, 0) / 1000;
  const notes = [
    `Scripts before interactive (ours; office.js — here the playground's Outlook stand-in — is not counted): ${
      scripts.map((s) => `${s.path} ${(s.gzip / 1000).toFixed(1)} KB gz`).join(", ") || "none"
    }. gzip = Node zlib at its default level 6; KB = 1000 bytes.`,
    `Requested after interactive (not counted): ${
      [...scriptsAfterInteractive]
        .filter((path) => !scriptsBeforeInteractive.has(path))
        .sort()
        .map(
          (path) =>
            `${path} ${(gzipSync(readFileSync(join(DIST, decodeURIComponent(path)))).length / 1000).toFixed(1)} KB gz`
        )
        .join(", ") || "none"
    }.`,
  ];
  if (interactive.length < ctx.settings.paneRuns) {
    notes.push(
      `In ${ctx.settings.paneRuns - interactive.length} of ${ctx.settings.paneRuns} loads no enabled button or file ` +
        `input appeared in #container within ${ctx.settings.quick ? 5 : 10} s.`
    );
  }
  return {
    id: "pane",
    title: "Task pane size and start (built dist/taskpane.html in the playground, loopback)",
    params: {
      runs: ctx.settings.paneRuns,
      scripts: scripts.length,
      rawKB: Math.round(rawKB),
      rebuiltWhenStale: ctx.settings.buildPane,
    },
    measurements: [
      {
        key: "pane.gzip",
        label: "JS before interactive, gzipped",
        unit: "KB",
        summary: summarize([gzipKB]),
      },
      ...(content.length
        ? [
            {
              key: "pane.content",
              label: "navigation → first content",
              unit: "ms" as const,
              summary: summarize(content),
            },
          ]
        : []),
      ...(interactive.length
        ? [
            {
              key: "pane.interactive",
              label: "navigation → interactive",
              unit: "ms" as const,
              summary: summarize(interactive),
            },
          ]
        : []),
    ],
    ratios: [
      makeAbsolute("pane.gzip", "JS before interactive, gzipped", gzipKB, "KB", {
        op: "<=",
        value: 150,
      }),
    ],
    notes,
  };
}
