// Plain curl following driveitem-createuploadsession.md's exchange, unchanged: create the
// session with {"item":{"@microsoft.graph.conflictBehavior":"rename"}}, PUT the docs' own
// fragments of a 128-byte file (0-25, then 26-100, then 101-127, no Authorization header), read
// 202 {"expirationDateTime","nextExpectedRanges":["26-"]}, GET the status, and 201 with the
// driveItem {"id","name","size":128,"file"}; then cancel a second session with DELETE → 204.
// The docs' 26-byte fragments are not multiples of 320 KiB, which the same page requires of
// every range but the last, so the literal exchange runs with that rule switched off
// (drive.enforceRangeRules false); with it on, the first fragment is refused.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededBytes, sha256, startHarness, type Harness } from "./helpers";

const bytes = seededBytes(128, 128);
let h: Harness;
let dir: string;

beforeAll(async () => {
  h = await startHarness();
  dir = mkdtempSync(join(tmpdir(), "emulator-drive-curl-"));
  writeFileSync(join(dir, "part1"), bytes.subarray(0, 26));
  writeFileSync(join(dir, "part2"), bytes.subarray(26, 101));
  writeFileSync(join(dir, "part3"), bytes.subarray(101));
  // The token goes to curl in a header file, not on its command line.
  writeFileSync(join(dir, "auth.txt"), `Authorization: Bearer ${h.token}\n`);
});
afterAll(async () => {
  await h.emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

interface CurlResult {
  status: number;
  json: Record<string, unknown>;
  raw: Buffer;
}

let calls = 0;

function curl(args: string[]): Promise<CurlResult> {
  const bodyFile = join(dir, `body-${++calls}`);
  return new Promise((resolve, reject) => {
    execFile(
      "curl",
      ["-sS", "-o", bodyFile, "-w", "%{http_code}", ...args],
      { cwd: dir },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`curl failed: ${stderr}`));
        const raw = readFileSync(bodyFile);
        let json: Record<string, unknown> = {};
        try {
          json = raw.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
        } catch {
          // not JSON (the content read back)
        }
        resolve({ status: Number(stdout.trim()), json, raw });
      }
    );
  });
}

const createSession = (name: string) =>
  curl([
    "-X",
    "POST",
    `${h.emulator.graphUrl}/me/drive/root:/${name}:/createUploadSession`,
    "-H",
    "@auth.txt",
    "-H",
    "Content-Type: application/json",
    "-d",
    '{"item":{"@microsoft.graph.conflictBehavior":"rename"}}',
  ]);

const putPart = (url: string, part: string, range: string) =>
  curl(["-X", "PUT", url, "-H", `Content-Range: bytes ${range}/128`, "--data-binary", `@${part}`]);

test("the docs' exchange for largefile.dat, fragment by fragment, with the 320 KiB rule off", async () => {
  h.emulator.configure({ drive: { enforceRangeRules: false } });
  const session = await createSession("largefile.dat");
  expect(session.status).toBe(200);
  expect(session.json).toMatchObject({ nextExpectedRanges: ["0-"] });
  const url = session.json.uploadUrl as string;

  const first = await putPart(url, "part1", "0-25");
  expect(first.status).toBe(202);
  expect(first.json).toEqual({
    expirationDateTime: expect.any(String),
    nextExpectedRanges: ["26-"],
  });
  const status = await curl([url]);
  expect(status.status).toBe(200);
  expect(status.json).toMatchObject({ nextExpectedRanges: ["26-"] });
  expect((await putPart(url, "part2", "26-100")).json).toMatchObject({
    nextExpectedRanges: ["101-"],
  });
  const last = await putPart(url, "part3", "101-127");
  expect(last.status).toBe(201);
  expect(last.json).toMatchObject({ name: "largefile.dat", size: 128, file: {} });

  const content = await curl([
    `${h.emulator.graphUrl}/me/drive/items/${last.json.id as string}/content`,
    "-H",
    "@auth.txt",
  ]);
  expect(content.status).toBe(200);
  expect(sha256(content.raw)).toBe(sha256(bytes));
  expect(h.emulator.driveItems().find((i) => i.id === last.json.id)?.sha256).toBe(sha256(bytes));
});

test("with the rule on (the default), the docs' 26-byte first fragment is refused; DELETE cancels (204)", async () => {
  h.emulator.configure({ drive: { enforceRangeRules: true } });
  const session = await createSession("largefile.dat");
  const url = session.json.uploadUrl as string;
  const refused = await putPart(url, "part1", "0-25");
  expect(refused.status).toBe(400);
  expect(refused.json).toMatchObject({ error: { code: "invalidRequest" } });
  const cancel = await curl(["-X", "DELETE", url]);
  expect(cancel.status).toBe(204);
  expect(h.emulator.driveSessions()).toEqual([]);
  expect((await putPart(url, "part1", "0-25")).status).toBe(404);
});
