// Runs each client in its own plain-Node child process, so the peak RSS it reports is its own and
// no loader (tsx, esbuild's transform service) sits in the measured process: the clients are
// bundled once with esbuild into a temp dir and started with `node`.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import type { ClientJob, ClientResult } from "../clients/job";

export class ClientRunner {
  private constructor(
    private readonly dir: string,
    readonly bundle: string
  ) {}

  static async create(): Promise<ClientRunner> {
    const dir = await mkdtemp(join(tmpdir(), "large-attach-bench-client-"));
    const bundle = join(dir, "client.cjs");
    await build({
      entryPoints: [resolve(__dirname, "../clients/main.ts")],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      outfile: bundle,
      logLevel: "error",
    });
    return new ClientRunner(dir, bundle);
  }

  /** Starts one child for one job; rejects with its stderr (upload URLs already redacted) on failure. */
  run(job: ClientJob, timeoutMs = 10 * 60_000): Promise<ClientResult> {
    return new Promise((resolvePromise, reject) => {
      // BENCH_CPU_PROF=DIR writes a V8 CPU profile of every client into DIR (open it in Chrome DevTools).
      const profile = process.env.BENCH_CPU_PROF
        ? [
            "--cpu-prof",
            `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`,
            `--cpu-prof-name=${job.client}-${Date.now()}.cpuprofile`,
          ]
        : [];
      const child = spawn(process.execPath, [...profile, this.bundle], {
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, NODE_OPTIONS: "" },
      });
      // The job (with the dev token) goes through stdin, never argv, where `ps` would show it.
      child.stdin.end(JSON.stringify(job));
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("error", reject);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const line = stdout.trim().split("\n").pop() ?? "";
        if (code === 0 && line.startsWith("{")) {
          resolvePromise(JSON.parse(line) as ClientResult);
        } else {
          reject(
            new Error(
              `${job.client} client failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`
            )
          );
        }
      });
    });
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
