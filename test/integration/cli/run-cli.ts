// Runs the real `large-attach` bin script in a child process, as a user's shell would.
import { spawn } from "node:child_process";
import { join } from "node:path";

const BIN = join(__dirname, "../../../bin/large-attach.cjs");

export function runBin(
  args: string[],
  env: Record<string, string> = {},
  whileRunning?: (child: ReturnType<typeof spawn>) => void
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: "pipe",
    });
    whileRunning?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** stdout's JSON lines. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
