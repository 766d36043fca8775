// Plain curl following the seed documents' exchange, unchanged (DESIGN.md §3 "peer clients"):
// create a session for a 3,483,322-byte file, PUT bytes 0-2097151 and 2097152-3483321 with
// --data-binary (curl sends `Expect: 100-continue` for such bodies), read the bytes back with
// $value on the path the Location names, and DELETE a second session.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededBytes, sha256, startHarness, type Harness } from "./helpers";

const SIZE = 3_483_322;
const bytes = seededBytes(SIZE, 42);
let h: Harness;
let dir: string;

beforeAll(async () => {
  h = await startHarness();
  dir = mkdtempSync(join(tmpdir(), "emulator-curl-"));
  writeFileSync(join(dir, "part1"), bytes.subarray(0, 2_097_152));
  writeFileSync(join(dir, "part2"), bytes.subarray(2_097_152));
  // The token goes to curl in a header file, not on its command line.
  writeFileSync(join(dir, "auth.txt"), `Authorization: Bearer ${h.token}\n`);
});
afterAll(async () => {
  await h.emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

interface CurlResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

let calls = 0;

/** Runs curl with the headers dumped to stdout (-D -) and the body written to a file. */
function curl(args: string[]): Promise<CurlResult> {
  const bodyFile = join(dir, `body-${++calls}`);
  return new Promise((resolve, reject) => {
    execFile(
      "curl",
      ["-sS", "-D", "-", "-o", bodyFile, ...args],
      { cwd: dir },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`curl failed: ${stderr}`));
        // The last header block is the final answer (after any "HTTP/1.1 100 Continue").
        const head = stdout.trim().split("\r\n\r\n").pop()!;
        const [statusLine, ...headerLines] = head.split("\r\n");
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const at = line.indexOf(":");
          headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
        }
        resolve({
          status: Number(statusLine.split(" ")[1]),
          headers,
          body: readFileSync(bodyFile),
        });
      }
    );
  });
}

const text = (result: CurlResult) => result.body.toString("utf8");

test("the seed documents' exchange with curl: two ranges, 201 + Location, $value, DELETE", async () => {
  const draft = await curl([
    "-X",
    "POST",
    `${h.emulator.graphUrl}/me/messages`,
    "-H",
    "@auth.txt",
    "-H",
    "Content-Type: application/json",
    "--data",
    '{"subject":"Flowers"}',
  ]);
  expect(draft.status).toBe(201);
  const messageId = (JSON.parse(text(draft)) as { id: string }).id;
  const createSession = () =>
    curl([
      "-X",
      "POST",
      `${h.emulator.graphUrl}/me/messages/${messageId}/attachments/createUploadSession`,
      "-H",
      "@auth.txt",
      "-H",
      "Content-Type: application/json",
      "--data",
      `{"AttachmentItem":{"attachmentType":"file","name":"flower","size":${SIZE}}}`,
    ]);
  const session = await createSession();
  expect(session.status).toBe(201);
  const { uploadUrl } = JSON.parse(text(session)) as { uploadUrl: string };
  const put = (file: string, range: string) =>
    curl([
      "-X",
      "PUT",
      uploadUrl,
      "-H",
      "Content-Type: application/octet-stream",
      "-H",
      `Content-Range: bytes ${range}/${SIZE}`,
      "--data-binary",
      `@${file}`,
    ]);

  const first = await put("part1", "0-2097151");
  expect(first.status).toBe(200);
  expect(JSON.parse(text(first))).toMatchObject({ NextExpectedRanges: ["2097152"] });
  const last = await put("part2", "2097152-3483321");
  expect(last.status).toBe(201);
  expect(last.headers["content-length"]).toBe("0");
  expect(last.body.length).toBe(0);
  const path =
    /\/api\/v2\.0(\/Users\('[^']+'\)\/Messages\('[^']+'\)\/Attachments\('[^']+'\))$/.exec(
      last.headers.location
    )![1];

  const read = await curl([`${h.emulator.graphUrl}${path}/$value`, "-H", "@auth.txt"]);
  expect(read.status).toBe(200);
  expect(sha256(read.body)).toBe(sha256(bytes));

  const second = JSON.parse(text(await createSession())) as { uploadUrl: string };
  const cancelled = await curl(["-X", "DELETE", second.uploadUrl]);
  expect(cancelled.status).toBe(204);
  expect(h.emulator.openSessions()).toEqual([]);
});
