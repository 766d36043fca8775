// The emulator's temporary storage is removed on every exit, not only on close(): a process that
// exits without closing the emulator (process.exit on an error path) removes it in an exit hook,
// and what nothing in the process can remove (SIGKILL) is swept by the next emulator that starts
// (the directory's name carries its owner's pid). Each case runs in a child process with its own
// TMPDIR, so "nothing left" is checked exactly.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeOrphans } from "../../../dev/graph-emulator/storage";

const ROOT = join(__dirname, "../../..");
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "large-attach-storage-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const emulatorDirs = () => readdirSync(tmp).filter((n) => n.startsWith("graph-emulator-"));

/** Runs `body` (TypeScript) in a child node with the emulator loaded; resolves with its stdout. */
function runChild(body: string, onLine?: (line: string, pid: number) => void): Promise<string> {
  const script = `const { startEmulator } = require(${JSON.stringify(join(ROOT, "dev/graph-emulator"))});\n(async () => {${body}})();`;
  const child = spawn(process.execPath, ["--require", "tsx/cjs", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
    onLine?.(c.toString(), child.pid!);
  });
  return new Promise((resolve) => child.once("exit", () => resolve(out)));
}

test("process.exit without close(): the exit hook removes the storage, bytes and all", async () => {
  const out = await runChild(`
    const emulator = await startEmulator({});
    require("fs").writeFileSync(require("path").join(emulator.storageDir, "session-x.part"), "bytes");
    console.log(emulator.storageDir);
    process.exit(3);`);
  expect(out.trim()).toMatch(/graph-emulator-\d+-/);
  expect(emulatorDirs()).toEqual([]);
});

test("SIGKILL leaves the storage behind; the next emulator to start removes it", async () => {
  await runChild(
    `const emulator = await startEmulator({}); console.log(emulator.storageDir); setInterval(() => {}, 1000);`,
    (_, pid) => process.kill(pid, "SIGKILL")
  );
  expect(emulatorDirs()).toHaveLength(1); // nothing in the process could run
  const out = await runChild(
    `const emulator = await startEmulator({}); console.log(require("fs").readdirSync(process.env.TMPDIR).filter((n) => n.startsWith("graph-emulator-")).length); await emulator.close();`
  );
  expect(out.trim()).toBe("1"); // its own only
  expect(emulatorDirs()).toEqual([]);
});

test("removeOrphans removes only directories whose owner process is gone", async () => {
  const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
  for (const name of [
    `graph-emulator-${dead}-aaaaaa`,
    `graph-emulator-${process.pid}-bbbbbb`,
    "graph-emulator-cccccc", // an older emulator's name, without a pid: not ours to judge
    "something-else",
  ])
    mkdirSync(join(tmp, name));
  expect(await removeOrphans(tmp)).toEqual([`graph-emulator-${dead}-aaaaaa`]);
  expect(readdirSync(tmp).sort()).toEqual(
    [`graph-emulator-${process.pid}-bbbbbb`, "graph-emulator-cccccc", "something-else"].sort()
  );
});
