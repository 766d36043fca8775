// The shell snippets of the READMEs work pasted into a fresh shell, as they stand: each block is
// read from its README (so the two cannot drift) and run with bash in a fresh directory that looks
// like the repository's root (its entries linked in), so the files a snippet writes land there.
// The only change is the environment: EMULATOR_PORT, which each snippet reads with a default, is
// a free port here. A snippet must start the emulator, wait for it, and stop it again itself.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");

/** The first ```sh block after the heading that starts with `heading`. */
export function snippetUnder(markdown: string, heading: string): string {
  const at = markdown
    .split("\n")
    .findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, "").startsWith(heading));
  if (at < 0) throw new Error(`No heading "${heading}"`);
  const rest = markdown
    .split("\n")
    .slice(at + 1)
    .join("\n");
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(rest);
  if (!block) throw new Error(`No sh block under "${heading}"`);
  return block[1];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A directory that looks like the repository's root to npm, npx and node (entries linked). */
function repoLookalike(): string {
  const dir = mkdtempSync(join(tmpdir(), "large-attach-readme-"));
  for (const entry of readdirSync(ROOT)) {
    if ([".git", "dist", "test-results"].includes(entry)) continue;
    symlinkSync(join(ROOT, entry), join(dir, entry));
  }
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The snippet's process group was gone once bash had exited (the emulator stopped with it). */
  groupGone: boolean;
}

async function runSnippet(script: string, cwd: string): Promise<Run> {
  const child = spawn("bash", ["-c", script], {
    cwd,
    detached: true, // own process group: whatever the snippet leaves running is found and ended
    env: { ...process.env, EMULATOR_PORT: String(await freePort()) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const alive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  // `kill %1` at the end stops the emulator; it removes its storage first (bounded by its own 5 s).
  for (let i = 0; i < 150 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  const groupGone = !alive();
  if (!groupGone) process.kill(-child.pid!, "SIGKILL");
  return { code, stdout, stderr, groupGone };
}

let dir: string;
beforeEach(() => {
  dir = repoLookalike();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('README "The command line: large-attach": the emulator starts, both files are attached, it stops', async () => {
  const script = snippetUnder(readFileSync(join(ROOT, "README.md"), "utf8"), "The command line");
  const run = await runSnippet(script, dir);
  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({
    code: 0,
    stderr: "",
  });
  expect(run.stdout).toMatch(/^Graph emulator listening on http:\/\/127\.0\.0\.1:\d+$/m);
  expect(run.stdout).toMatch(/^✓ report\.pdf \(.*\) /m);
  expect(run.stdout).toMatch(/^✓ video\.mp4 \(.*\) /m);
  expect(run.stderr).toMatch(/^2 of 2 files attached\.$/m); // the summary goes to stderr
  expect(run.stderr).not.toMatch(/✗|SyntaxError|empty/);
  expect(run.groupGone).toBe(true);
}, 240_000);

test('README "Files the item cannot take": one file attached, one shared with its link in the body, a share --json line', async () => {
  const script = snippetUnder(
    readFileSync(join(ROOT, "README.md"), "utf8"),
    "Files the item cannot take"
  );
  const run = await runSnippet(script, dir);
  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({
    code: 0,
    stderr: "",
  });
  expect(run.stdout).toMatch(/^✓ report\.pdf \(.*, post, .*\) attachment /m);
  const shared =
    /^✓ video\.mp4 \(.*, drive, .*\) shared, added to the message: (\S+) \[view link, organization\]$/m.exec(
      run.stdout
    );
  expect(shared).not.toBeNull();
  // The body read back holds that link, inside <body>, after what was there.
  expect(run.stdout).toMatch(
    /<p>Here you are\.<\/p>\s*<div><a href="([^"]+)">video\.mp4<\/a> \(23\.8 MB\)<br><\/div>\s*<\/body>/
  );
  expect(run.stdout).toContain(`<a href="${shared![1]}">`);
  const json = run.stdout.split("\n").find((l) => l.startsWith('{"file":"report.pdf"'));
  expect(JSON.parse(json!)).toMatchObject({ route: "drive", link: { type: "edit" } });
  expect(run.stderr).toMatch(/^1 of 2 files attached, 1 shared as links\.$/m);
  expect(run.groupGone).toBe(true);
}, 240_000);

test('emulator README "Try it with curl": the seed exchange ends with "same bytes", then it stops', async () => {
  const readme = readFileSync(join(ROOT, "dev/graph-emulator/README.md"), "utf8");
  const run = await runSnippet(snippetUnder(readme, "Try it with curl"), dir);
  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({
    code: 0,
    stderr: "",
  });
  expect(run.stdout).toMatch(/"NextExpectedRanges":\["2097152"\]/);
  expect(run.stdout).toMatch(/^HTTP\/1\.1 201 Created/m);
  expect(run.stdout).toMatch(/^same bytes$/m);
  expect(run.stdout).toMatch(/"name":"flower","size":3483322/);
  expect(run.groupGone).toBe(true);
}, 240_000);
