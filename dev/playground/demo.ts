// `npm run demo`: build the pane when dist/ is missing or older than its sources, start the Graph
// emulator and the playground server, print one line with the URL, and stop everything on Ctrl+C /
// SIGTERM / SIGHUP, or when start-up fails. The build runs in its own process group so an
// interrupted build leaves no orphan. The npm script runs this file in one node process
// (`node --require tsx/cjs`), not under the tsx CLI: tsx relays a signal to its child and kills it
// outright when the child has not acknowledged within 30 ms, which a busy emulator can miss, and
// then nothing removes the emulator's temporary storage.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { startEmulator } from "../graph-emulator";
import { DIST_DIR, ROOT_DIR, startPlayground } from "./server";

const BUILD_INPUTS = [
  "src",
  "assets",
  "webpack.config.js",
  "package.json",
  "babel.config.json",
  "manifest.xml",
  "manifest.json",
  "scripts/manifests.js",
];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(entry).reduce(
    (newest, name) => Math.max(newest, newestMtime(path.join(entry, name))),
    info.mtimeMs
  );
}

/** dist/ is stale when taskpane.html is missing or older than any build input. */
export function distIsStale(root = ROOT_DIR, dist = DIST_DIR): boolean {
  const page = path.join(dist, "taskpane.html");
  if (!existsSync(page)) return true;
  const built = statSync(page).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(path.join(root, input)) > built);
}

let child: ChildProcess | undefined;

/** A stop that takes longer than this exits anyway (the emulator's storage goes on exit too). */
const STOP_TIMEOUT_MS = 5000;
const DEFAULT_PORT = 3000;

/** PORT from the environment: unset = 3000 (or a free port when taken), 0 = a free port. */
export function playgroundPort(value = process.env.PORT): number {
  if (value === undefined || value.trim() === "") return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number (0 = any free port), got "${value}".`);
  return port;
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const output: Buffer[] = [];
    child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], {
      cwd: ROOT_DIR,
      detached: process.platform !== "win32", // own process group: killed as a group on Ctrl+C
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      child = undefined;
      if (code === 0) resolve();
      else {
        process.stderr.write(Buffer.concat(output));
        reject(new Error(`npm run build failed (${signal ?? `exit ${code}`})`));
      }
    });
  });
}

function killBuild() {
  if (!child?.pid) return;
  try {
    process.kill(process.platform === "win32" ? child.pid : -child.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

/** Stops the build, the playground and the emulator (removing its storage), then exits. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), STOP_TIMEOUT_MS).unref();
  killBuild();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  process.exit(code);
}

async function main() {
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  process.on("SIGHUP", () => void stop(129)); // the terminal went away
  const port = playgroundPort();

  // Rebuild only when needed: a warm start takes well under a second instead of ~15 s.
  if (distIsStale()) {
    // On stderr, so stdout stays the one URL line; the first build takes a minute on a slow machine.
    process.stderr.write(
      "Building the task pane into dist/ (missing or older than its sources)…\n"
    );
    await build();
  }
  const emulator = await startEmulator({ port: 0, uploadPort: 0 });
  cleanups.push(() => emulator.close());
  const playground = await startPlayground({ emulator, port });
  cleanups.push(() => playground.close());
  process.stdout.write(`Large Attach playground: ${playground.url}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    void stop(1);
  });
}
