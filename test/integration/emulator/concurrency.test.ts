// Four 40 MiB sessions in parallel against an emulator in its own process (started the way a
// developer starts it, `tsx dev/graph-emulator/cli.ts --port 0`), so its resident memory can be
// observed apart from the test's. What the test asserts is that the bytes are streamed to the
// storage directory, correctly; the emulator's peak RSS is printed for information only (memory is
// judged by `npm run bench`, never by a test on a shared, noisy machine).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MiB, putRange, seededBytes, sha256 } from "./helpers";

const FILE_SIZE = 40 * MiB;
const FILES = 4;
let child: ChildProcess;
let base: string;
let token: string;
let storageDir: string;

beforeAll(async () => {
  const root = join(__dirname, "../../..");
  storageDir = await mkdtemp(join(tmpdir(), "la-concurrency-"));
  child = spawn(
    process.execPath,
    [
      "--require",
      "tsx/cjs",
      join(root, "dev/graph-emulator/cli.ts"),
      "--port",
      "0",
      "--storage-dir",
      storageDir,
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    }
  );
  base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^Graph emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const issued = await fetch(`${base}/_emulator/token`, {
    method: "POST",
    body: JSON.stringify({ user: "adele@contoso.test" }),
  });
  token = ((await issued.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  child.kill("SIGTERM");
  await rm(storageDir, { recursive: true, force: true });
});

async function uploadOne(index: number, bytes: Buffer): Promise<string> {
  const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const kind = index % 2 === 0 ? "messages" : "events";
  const item = await fetch(`${base}/v1.0/me/${kind}`, {
    method: "POST",
    headers: auth,
    body: "{}",
  });
  const itemId = ((await item.json()) as { id: string }).id;
  const session = await fetch(`${base}/v1.0/me/${kind}/${itemId}/attachments/createUploadSession`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({
      AttachmentItem: { attachmentType: "file", name: `file-${index}.bin`, size: bytes.length },
    }),
  });
  const { uploadUrl } = (await session.json()) as { uploadUrl: string };
  let response: Response | undefined;
  for (let start = 0; start < bytes.length; start += 4 * MiB) {
    response = await putRange(uploadUrl, bytes, start, Math.min(start + 4 * MiB, bytes.length) - 1);
    expect([200, 201]).toContain(response.status);
    await response.arrayBuffer();
  }
  expect(response!.status).toBe(201);
  const attachmentId = /Attachments\('([^']+)'\)$/.exec(response!.headers.get("location")!)![1];
  // Read back streaming, hashing as it arrives.
  const raw = await fetch(`${base}/v1.0/me/${kind}/${itemId}/attachments/${attachmentId}/$value`, {
    headers: auth,
  });
  const hash = createHash("sha256");
  for await (const chunk of raw.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}

async function stats(): Promise<{ maxRss: number; rss: number }> {
  return (await (await fetch(`${base}/_emulator/stats`)).json()) as { maxRss: number; rss: number };
}

test("4 × 40 MiB in parallel: correct bytes, each attachment streamed to its own file on disk", async () => {
  const idle = await stats();
  const files = Array.from({ length: FILES }, (_, i) => seededBytes(FILE_SIZE, 400 + i));
  const digests = await Promise.all(files.map((bytes, i) => uploadOne(i, bytes)));
  expect(digests).toEqual(files.map(sha256));

  const stored = (await (await fetch(`${base}/_emulator/attachments`)).json()) as {
    value: Array<{ sha256: string; size: number }>;
  };
  expect(stored.value.map((a) => a.sha256).sort()).toEqual(files.map(sha256).sort());
  // The bytes live in the storage directory, one file per attachment, not in the process.
  const onDisk = await Promise.all(
    (await readdir(storageDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map(async (entry) => (await stat(join(entry.parentPath, entry.name))).size)
  );
  expect(onDisk.filter((size) => size === FILE_SIZE)).toHaveLength(FILES);

  const { maxRss } = await stats();
  const mib = (n: number) => (n / MiB).toFixed(1);
  process.stdout.write(
    `emulator RSS idle ${mib(idle.rss)} MiB, peak ${mib(maxRss)} MiB (+${mib(maxRss - idle.rss)}) ` +
      `for ${mib(FILES * FILE_SIZE)} MiB uploaded and read back (information only)\n`
  );
});
