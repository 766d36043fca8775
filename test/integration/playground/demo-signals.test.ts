// `npm run demo` leaves nothing behind when stopped: Ctrl+C (SIGINT to the whole process group, as
// a terminal sends it) and SIGTERM to npm alone (as a supervisor sends it) each end every process
// it started, free its ports and remove the emulator's temporary storage — with bytes in it (a
// session part-way through and a finished attachment). Each run gets its own TMPDIR, so "no
// temporary folder behind" is checked exactly, and PORT=0, so it never collides with a demo
// already running. The URL line comes after a build when dist/ is stale, hence the long first wait.
// The demo is busy when the signal comes (held stopped for a second, as a loaded machine or a long
// hash can hold it): a wrapper that kills what does not answer fast (tsx's CLI kills its child after
// 30 ms without an acknowledgement) would leave the storage behind. Linux (/proc) only.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");
const READY = /^Large Attach playground: (http:\/\/127\.0\.0\.1:\d+\/)$/m;
const MiB = 1024 * 1024;

interface Demo {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function startDemo(tmp: string): Promise<Demo> {
  const child = spawn("npm", ["run", "-s", "demo"], {
    cwd: ROOT,
    detached: true, // its own process group, as a terminal's foreground job
    env: { ...process.env, PORT: "0", TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = READY.exec(out);
      if (match) resolve({ child, url: match[1], output: () => out });
    });
    child.once("exit", (code) => reject(new Error(`demo exited (${code}) before its URL: ${out}`)));
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (!condition()) throw new Error(`Gave up waiting for ${what}`);
}

/** The pids of a process group, with their parents and command lines (from /proc). */
function groupProcesses(pgid: number): { pid: number; ppid: number; cmd: string }[] {
  const found = [];
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [, , ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 1).split(" ");
      if (Number(pgrp) !== pgid) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ");
      found.push({ pid: Number(name), ppid: Number(ppid), cmd });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** The process running demo.ts itself: the deepest one in the group whose command names it. */
function demoProcess(pgid: number): number {
  const runners = groupProcesses(pgid).filter((p) => p.cmd.includes("dev/playground/demo.ts"));
  const leaf = runners.find((p) => !runners.some((q) => q.ppid === p.pid));
  if (!leaf) throw new Error(`no demo.ts process in group ${pgid}`);
  return leaf.pid;
}

const emulatorDirs = (tmp: string) =>
  readdirSync(tmp).filter((n) => n.startsWith("graph-emulator-"));

async function refused(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(5000) }).then(
    () => false,
    () => true
  );
}

/** Puts bytes into the emulator's storage: one finished attachment and one session half-way. */
async function storeSomething(emulatorUrl: string): Promise<void> {
  const token = await fetch(`${emulatorUrl}/_emulator/token`, { method: "POST", body: "{}" });
  const auth = {
    Authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}`,
  };
  const draft = await fetch(`${emulatorUrl}/v1.0/me/messages`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: "{}",
  });
  const { id } = (await draft.json()) as { id: string };
  const bytes = new Uint8Array(2 * MiB).fill(7);
  for (const finish of [true, false]) {
    const session = await fetch(
      `${emulatorUrl}/v1.0/me/messages/${id}/attachments/createUploadSession`,
      {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({
          AttachmentItem: { attachmentType: "file", name: "f.bin", size: bytes.length },
        }),
      }
    );
    const { uploadUrl } = (await session.json()) as { uploadUrl: string };
    const end = finish ? bytes.length : MiB;
    const put = await fetch(uploadUrl, {
      method: "PUT",
      headers: { "Content-Range": `bytes 0-${end - 1}/${bytes.length}` },
      body: bytes.subarray(0, end),
    });
    expect(put.status).toBe(finish ? 201 : 200);
  }
}

describe.each([
  ["SIGINT to the process group (Ctrl+C)", "SIGINT", true],
  ["SIGTERM to npm alone (a supervisor)", "SIGTERM", false],
] as const)("npm run demo, stopped by %s", (_, signal, toGroup) => {
  let tmp: string;
  let demo: Demo | undefined;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "large-attach-demo-signals-"));
  });
  afterAll(() => {
    if (demo?.child.pid && groupAlive(demo.child.pid)) process.kill(-demo.child.pid, "SIGKILL");
    rmSync(tmp, { recursive: true, force: true });
  });

  test("leaves no process, no listening port and no temporary folder behind", async () => {
    demo = await startDemo(tmp);
    const pgid = demo.child.pid!;
    const endpoints = (await (await fetch(`${demo.url}playground/endpoints.json`)).json()) as {
      url: string;
      uploadOrigin: string;
    };
    await storeSomething(endpoints.url);
    expect(emulatorDirs(tmp)).toHaveLength(1);
    expect(readdirSync(join(tmp, emulatorDirs(tmp)[0])).length).toBeGreaterThanOrEqual(2);

    const busy = demoProcess(pgid);
    process.kill(busy, "SIGSTOP");
    process.kill(toGroup ? -pgid : pgid, signal);
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(busy, "SIGCONT");
    await waitFor(() => !groupAlive(pgid), `every process of the demo's group to end (${signal})`);

    expect(emulatorDirs(tmp)).toEqual([]);
    for (const url of [demo.url, `${endpoints.url}/_emulator/config`, endpoints.uploadOrigin])
      expect(await refused(url)).toBe(true);
    expect(demo.output()).not.toMatch(/error/i);
  }, 300_000);
});
