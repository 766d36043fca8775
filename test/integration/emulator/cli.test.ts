// Starting the emulator the way a developer does: `npm run emulator -- --port N [switches]`.
// It prints exactly one line on stdout when ready, the switches reach its config, a bad flag is
// refused, and a stop signal to the whole process group (what Ctrl-C does) ends it cleanly,
// removing its temporary storage.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");
const READY = /^Graph emulator listening on (https?:\/\/127\.0\.0\.1:(\d+))$/m;

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns a command in its own process group and resolves once the ready line appears. */
function start(command: string, args: string[]): Promise<Started> {
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code))
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = READY.exec(out);
      if (match) resolve({ child, url: match[1], stdout: () => out, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before ready: ${err}`)));
  });
}

/** Stops the whole process group (npm, sh, tsx and the emulator), as Ctrl-C in a terminal does. */
async function stopGroup(started: Started, signal: NodeJS.Signals): Promise<void> {
  process.kill(-started.child.pid!, signal);
  await started.exited;
}

/** Last resort if an assertion failed before a clean stop: whatever of the group is left. */
function forceStop(started: Started): void {
  try {
    process.kill(-started.child.pid!, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`Gave up waiting for ${what}`);
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

function storageDirOf(stderr: string): string {
  const match = / storage (\S+)/.exec(stderr);
  if (!match) throw new Error(`No storage dir on stderr: ${stderr}`);
  return match[1];
}

test("npm run -s emulator -- --port 0 [switches]: exactly one stdout line, switches applied, Ctrl-C stops it and removes its storage", async () => {
  const started = await start("npm", [
    "run",
    "--silent",
    "emulator",
    "--",
    "--port",
    "0",
    "--max-message-size",
    "35MB",
    "--range-casing",
    "camel",
    "--fault-script",
    "upload/PUT:503x2@1",
  ]);
  try {
    const token = await fetch(`${started.url}/_emulator/token`, {
      method: "POST",
      body: JSON.stringify({ user: "adele@contoso.test" }),
    });
    expect(token.status).toBe(200);
    const config = (await (await fetch(`${started.url}/_emulator/config`)).json()) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      maxMessageSizeBytes: 36_700_160,
      rangeCasing: "camel",
      pendingScript: [{ target: "upload", methods: ["PUT"], status: 503, count: 2 }],
    });
    await waitFor(() => / storage /.test(started.stderr()), "the stderr details line");
    const storage = storageDirOf(started.stderr());
    expect(existsSync(storage)).toBe(true);

    await stopGroup(started, "SIGINT");
    // The emulator process (a grandchild of npm) finishes its cleanup after npm has gone.
    await waitFor(() => !existsSync(storage), "the storage dir to be removed");
    expect(started.stdout()).toBe(`Graph emulator listening on ${started.url}\n`);
    expect(started.stderr()).not.toMatch(/error/i);
    await expect(fetch(`${started.url}/_emulator/config`)).rejects.toThrow();
  } finally {
    forceStop(started);
  }
});

test("npm run emulator -- --port N listens on N; the ready line is the emulator's only stdout line after npm's banner", async () => {
  const port = await freePort();
  const started = await start("npm", ["run", "emulator", "--", "--port", String(port)]);
  try {
    expect(started.url).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`${started.url}/_emulator/sessions`)).status).toBe(200);
    await waitFor(() => / storage /.test(started.stderr()), "the stderr details line");
    const storage = storageDirOf(started.stderr());
    await stopGroup(started, "SIGTERM");
    await waitFor(() => !existsSync(storage), "the storage dir to be removed");
    const lines = started.stdout().split("\n").filter(Boolean);
    // npm's own banner ("> large-attach@… emulator", "> tsx …") precedes it; `-s` silences that.
    expect(lines.filter((line) => !line.startsWith("> "))).toEqual([
      `Graph emulator listening on http://127.0.0.1:${port}`,
    ]);
  } finally {
    forceStop(started);
  }
});

test("a bad flag or value is refused with exit code 2, a reason on stderr and nothing on stdout", async () => {
  for (const args of [["--no-such-flag"], ["--range-casing", "kebab"]]) {
    const child = spawn(
      process.execPath,
      ["--require", "tsx/cjs", join(ROOT, "dev/graph-emulator/cli.ts"), "--port", "0", ...args],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(args[0] === "--no-such-flag" ? /no-such-flag/ : /rangeCasing/);
  }
});

test("--tls-key / --tls-cert serve both origins over https (what the Graph SDK needs)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "emulator-cli-tls-"));
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
      .concat(["-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"])
      .concat(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]),
    { stdio: "ignore" }
  );
  const started = await start(process.execPath, [
    "--require",
    "tsx/cjs",
    join(ROOT, "dev/graph-emulator/cli.ts"),
    "--port",
    "0",
    "--tls-key",
    key,
    "--tls-cert",
    cert,
  ]);
  try {
    expect(started.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(`${started.url}/_emulator/sessions`, { ca: readFileSync(cert) }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on("error", reject)
    );
    expect(status).toBe(200);
    await waitFor(() => / upload origin https:/.test(started.stderr()), "the upload origin line");
    await stopGroup(started, "SIGTERM");
  } finally {
    forceStop(started);
    rmSync(dir, { recursive: true, force: true });
  }
});
