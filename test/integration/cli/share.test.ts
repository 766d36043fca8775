// `large-attach share` and `attach --share-over-limit` end to end: the real bin script in a child
// process against the emulator over HTTP — the file in the emulator's OneDrive with its SHA-256,
// OneDrive's range rules seen from the requests the CLI sent (the emulator's upload-request log), no
// Authorization header to the upload URL, a refused link scope, a full OneDrive, and a draft whose
// body ends up holding the link of the file the tenant would not take.
import { truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bootEmulator, createItem, diskFile, tempDir, type Emulator } from "../upload/helpers";
import { jsonLines, runBin } from "./run-cli";

const UNIT = 327_680; // OneDrive's range unit (320 KiB)
const MiB = 1024 * 1024;
let emu: Emulator;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  emu = await bootEmulator();
  tmp = await tempDir();
});
beforeEach(() => emu.reset());
afterAll(async () => {
  await emu?.close();
  await tmp?.cleanup();
});

/** The flags every run against the emulator needs. */
function against(token = emu.issueToken()) {
  return {
    args: ["--graph-url", emu.graphUrl, "--upload-origin", emu.uploadOrigin, "--token-env", "T"],
    env: { T: token },
    token,
  };
}

/** Range PUTs to the drive's upload URL, in the order the emulator received them. */
function drivePuts() {
  return emu.uploadRequests().filter((r) => r.kind === "drive" && r.method === "PUT");
}

function storedFile(name: string) {
  return emu.driveItems().find((i) => i.kind === "file" && i.name === name);
}

async function graphGet(path: string, token: string) {
  const response = await fetch(`${emu.graphUrl}/${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

test("share --json: the file lands in OneDrive's Attachments with its SHA-256; the line has the documented shape", async () => {
  const file = await diskFile(tmp.dir, "video.mp4", 11 * MiB + 5);
  const { args, env, token } = against();
  const { code, stdout, stderr } = await runBin(["share", file.path, ...args, "--json"], env);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  const [line] = jsonLines(stdout);
  const stored = storedFile("video.mp4");
  expect(stored).toMatchObject({ path: "/Attachments/video.mp4", sha256: file.sha256 });
  expect(line).toEqual({
    file: file.path,
    bytes: 11 * MiB + 5,
    route: "drive",
    driveItemId: stored!.id,
    webUrl: stored!.webUrl,
    link: { webUrl: stored!.links[0].webUrl, type: "view", scope: "organization" },
    ms: expect.any(Number),
  });
  // The default range: every range but the last a multiple of 320 KiB, none of 60 MiB or more,
  // and more than one range (so the rule is exercised), none carrying the Bearer token.
  const puts = drivePuts();
  expect(puts.length).toBeGreaterThan(1);
  puts.slice(0, -1).forEach((p) => expect(p.contentLength! % UNIT).toBe(0));
  puts.forEach((p) => expect(p.contentLength!).toBeLessThan(60 * MiB));
  expect(puts.map((p) => p.authorization)).toEqual(puts.map(() => false));
  expect(puts.reduce((n, p) => n + p.contentLength!, 0)).toBe(11 * MiB + 5);
  expect(stdout + stderr).not.toContain(token);
});

test("share --chunk-size 3 × 320 KiB: ranges of exactly that size but the last, in order; human line; --folder", async () => {
  const file = await diskFile(tmp.dir, "deck.pptx", 2.5 * MiB);
  const { args, env } = against();
  const { code, stdout, stderr } = await runBin(
    ["share", file.path, ...args, "--chunk-size", String(3 * UNIT), "--folder", "Shared/2026"],
    env
  );
  expect(code).toBe(0);
  expect(stderr).toBe("");
  const stored = storedFile("deck.pptx")!;
  expect(stored).toMatchObject({ path: "/Shared/2026/deck.pptx", sha256: file.sha256 });
  expect(stdout).toBe(
    `✓ ${file.path} (2.5 MiB, drive, ${/(\d+) ms/.exec(stdout)![1]} ms) shared: ${stored.links[0].webUrl} [view link, organization]\n`
  );
  const puts = drivePuts();
  expect(puts.map((p) => p.contentLength)).toEqual([3 * UNIT, 3 * UNIT, 2.5 * MiB - 6 * UNIT]);
  expect(puts.map((p) => p.contentRange)).toEqual([
    `bytes 0-${3 * UNIT - 1}/${2.5 * MiB}`,
    `bytes ${3 * UNIT}-${6 * UNIT - 1}/${2.5 * MiB}`,
    `bytes ${6 * UNIT}-${2.5 * MiB - 1}/${2.5 * MiB}`,
  ]);
});

test("--link-scope anonymous on a tenant that refuses it: a link it allows, and the output says so", async () => {
  emu.configure({ drive: { linkScopes: ["organization", "users"] } });
  const file = await diskFile(tmp.dir, "open.pdf", 1000);
  const { args, env } = against();
  const json = await runBin(
    ["share", file.path, ...args, "--link-scope", "anonymous", "--json"],
    env
  );
  expect(json.code).toBe(0);
  const [line] = jsonLines(json.stdout);
  const link = line.link as Record<string, string>;
  expect(link.requestedScope).toBe("anonymous");
  expect(["organization", "users"]).toContain(link.scope);
  expect(storedFile("open.pdf")!.links.map((l) => l.scope)).not.toContain("anonymous");

  // Shared a second time: the name is taken in the folder, so OneDrive renames it, and the line says so.
  const human = await runBin(["share", file.path, ...args, "--link-scope", "anonymous"], env);
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(
    /shared as "open 1\.pdf": \S+ \[view link, (organization|users): the tenant does not allow anonymous links\]\n$/
  );
});

test("a full OneDrive (507): a clear error line, exit 1, nothing stored", async () => {
  emu.configure({ drive: { quotaBytes: 4096 } });
  const file = await diskFile(tmp.dir, "too-big-for-drive.bin", 5000);
  const { args, env } = against();
  const json = await runBin(["share", file.path, ...args, "--json"], env);
  expect(json.code).toBe(1);
  expect(jsonLines(json.stdout)).toEqual([
    {
      file: file.path,
      error: expect.objectContaining({
        name: "DriveFullError",
        status: 507,
        code: "quotaLimitReached",
        message: expect.stringMatching(/OneDrive .*full/),
      }),
    },
  ]);
  const human = await runBin(["share", file.path, ...args], env);
  expect(human.code).toBe(1);
  expect(human.stdout).toBe("");
  expect(human.stderr).toMatch(new RegExp(`^✗ ${file.path}: DriveFullError: .*full`));
  expect(storedFile("too-big-for-drive.bin")).toBeUndefined();
});

test("attach --share-over-limit, two files on a 4 MiB tenant: one attached, one refused part-way and shared; the draft's body holds its link", async () => {
  emu.configure({ maxMessageSizeBytes: 4 * MiB });
  const { args, env, token } = against();
  const itemId = emu.createItem({
    kind: "message",
    properties: { subject: "s", body: { contentType: "html", content: "<p>Hi</p>" } },
  }).id;
  const small = await diskFile(tmp.dir, "notes.txt", 1000);
  const big = await diskFile(tmp.dir, "Q3 & 'final'.mov", 5 * MiB);
  const { code, stdout, stderr } = await runBin(
    [
      "attach",
      small.path,
      big.path,
      "--message",
      itemId,
      ...args,
      "--chunk-size",
      String(MiB), // refused at the fourth range: part-way, as the service does
      "--share-over-limit",
      "--json",
    ],
    env
  );
  expect(stderr).toBe("");
  expect(code).toBe(0);
  const lines = jsonLines(stdout);
  expect(lines.find((l) => l.file === small.path)).toMatchObject({ route: "post", bytes: 1000 });
  const shared = lines.find((l) => l.file === big.path)!;
  expect(shared).toMatchObject({ route: "drive", bytes: 5 * MiB, addedToBody: true });
  // The big file was refused after some ranges went into the item (not at pick) …
  const attachmentPuts = emu
    .uploadRequests()
    .filter((r) => r.kind === "attachment" && r.method === "PUT");
  expect(attachmentPuts.length).toBeGreaterThan(1);
  // … is not attached, is in OneDrive with the right bytes, and its link is in the body.
  expect(emu.attachments().map((a) => a.name)).toEqual(["notes.txt"]);
  expect(storedFile("Q3 & 'final'.mov")!.sha256).toBe(big.sha256);
  const linkUrl = (shared.link as { webUrl: string }).webUrl;
  const { body } = (await graphGet(`me/messages/${itemId}?$select=body`, token)) as {
    body: { contentType: string; content: string };
  };
  expect(body.contentType).toBe("html");
  const inBody = body.content.slice(0, body.content.lastIndexOf("</body>"));
  expect(inBody).toContain("<p>Hi</p>");
  expect(inBody).toContain(`href="${linkUrl.replace(/&/g, "&amp;")}"`);
  expect(inBody).toContain("Q3 &amp; &#39;final&#39;.mov</a> (5.0 MB)");
  expect(body.content).not.toContain("'final'");
});

test("attach --share-over-limit on a sent message: shared, but its body cannot take the link — said, link printed, exit 1", async () => {
  emu.configure({ maxMessageSizeBytes: 2 * MiB });
  const { args, env } = against();
  const itemId = emu.createItem({
    kind: "message",
    properties: { subject: "already sent", isDraft: false },
  }).id;
  const big = await diskFile(tmp.dir, "late.bin", 3 * MiB);
  const { code, stdout, stderr } = await runBin(
    ["attach", big.path, "--message", itemId, ...args, "--share-over-limit"],
    env
  );
  expect(code).toBe(1);
  const url = storedFile("late.bin")!.links[0].webUrl;
  expect(stdout).toContain(`shared, NOT added to the message: ${url}`);
  expect(stderr).toContain(
    `… ${big.path}: the message cannot take it (MessageSizeExceededError). Sharing it as a OneDrive link instead.\n`
  );
  expect(stderr).toMatch(
    /✗ The links could not be added to the message's body: HttpError: .*Paste them yourself/
  );
  expect(stderr).toMatch(/0 of 1 files attached, 1 shared as links\.\n$/);
});

test("attach --share-over-limit: a file over 150 MB is refused at pick (no session asked for) and shared; its link goes into a text body", async () => {
  const itemId = emu.createItem({
    kind: "event",
    properties: { subject: "Review", body: { contentType: "text", content: "Agenda" } },
  }).id;
  const huge = join(tmp.dir, "footage.mkv");
  await writeFile(huge, "");
  await truncate(huge, 157_286_401); // sparse: no disk space used here
  const { args, env, token } = against();
  const { code, stdout, stderr } = await runBin(
    ["attach", huge, "--event", itemId, ...args, "--share-over-limit"],
    env
  );
  expect(code).toBe(0);
  expect(stderr).toContain(
    `… ${huge}: the event cannot take it (RestrictionError). Sharing it as a OneDrive link instead.\n`
  );
  expect(emu.uploadRequests().filter((r) => r.kind === "attachment")).toEqual([]);
  const stored = storedFile("footage.mkv")!;
  expect(stored.size).toBe(157_286_401);
  const url = stored.links[0].webUrl;
  expect(stdout).toContain(`(150.0 MiB, drive,`);
  expect(stdout).toContain(`shared, added to the event: ${url}`);
  const { body } = (await graphGet(`me/events/${itemId}?$select=body`, token)) as {
    body: unknown;
  };
  expect(body).toEqual({
    contentType: "text",
    content: `Agenda\n\nfootage.mkv (150.0 MB): ${url}\n`,
  });
});

test("Ctrl+C (SIGINT) mid-share cancels: the drive session is deleted, no file stored, exit 1", async () => {
  const file = await diskFile(tmp.dir, "interrupted.mov", 12 * MiB);
  emu.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } }); // ~6 s: time to interrupt
  const { args, env } = against();
  const { code, stdout, stderr } = await runBin(
    ["share", file.path, ...args, "--chunk-size", String(3 * UNIT), "--json"],
    env,
    (child) => {
      // Interrupt once the drive session has received bytes (polling the emulator, not a clock).
      const poll = setInterval(() => {
        if (emu.driveSessions().some((s) => s.received > 0)) {
          clearInterval(poll);
          child.kill("SIGINT");
        }
      }, 20);
      child.on("exit", () => clearInterval(poll));
    }
  );
  expect(code).toBe(1);
  expect(jsonLines(stdout)).toEqual([
    { file: file.path, error: { name: "AbortError", message: "Cancelled." } },
  ]);
  expect(stderr).toMatch(/Cancelling \(deleting upload sessions\)/);
  expect(emu.driveSessions()).toEqual([]);
  expect(storedFile("interrupted.mov")).toBeUndefined();
  // The session was DELETEd by the client, not left to expire.
  expect(
    emu.uploadRequests().filter((r) => r.kind === "drive" && r.method === "DELETE")
  ).toHaveLength(1);
});

test("attach without --share-over-limit still fails the file the tenant refuses (nothing shared)", async () => {
  emu.configure({ maxMessageSizeBytes: 2 * MiB });
  const itemId = await createItem(emu);
  const big = await diskFile(tmp.dir, "refused.bin", 3 * MiB);
  const { args, env } = against();
  const { code, stdout } = await runBin(
    ["attach", big.path, "--message", itemId, ...args, "--json"],
    env
  );
  expect(code).toBe(1);
  expect(jsonLines(stdout)).toEqual([
    { file: big.path, error: expect.objectContaining({ name: "MessageSizeExceededError" }) },
  ]);
  expect(emu.driveItems().filter((i) => i.kind === "file")).toEqual([]);
});
