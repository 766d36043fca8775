// The Microsoft Graph JavaScript SDK's OneDriveLargeFileUploadTask, unchanged, against the
// emulator's drive: createUploadSession at /me/drive/root:/{path}/{name}:, ranges of its default
// 5 MiB (16 × 320 KiB, from getValidRangeSize) answered 202, the last 201 with the driveItem that
// UploadResult carries. As in graph-sdk.test.ts (which explains why): https with a throw-away
// certificate, the SDK in a child process, the Graph origin addressed as "localhost" (its custom
// host) and the upload origin as 127.0.0.1, so range PUTs carry no Authorization header.
import { execFile, execFileSync } from "node:child_process";
import { request } from "node:https";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MiB, seededBytes, sha256, startHarness, type Harness } from "./helpers";

const SIZE = 12 * MiB + 4321;
const bytes = seededBytes(SIZE, 33);
let h: Harness;
let dir: string;
let baseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "emulator-drive-sdk-"));
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
      .concat(["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1"])
      .concat(["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]),
    { stdio: "ignore" }
  );
  writeFileSync(join(dir, "video.mp4"), bytes);
  h = await startHarness({
    tls: { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
  });
  baseUrl = h.emulator.url.replace("127.0.0.1", "localhost");
});

afterAll(async () => {
  await h.emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A Graph POST over https trusting the test certificate (fetch would not). */
function postJson(path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${h.emulator.url}${path}`,
      {
        method: "POST",
        ca: readFileSync(join(dir, "cert.pem")),
        headers: { ...h.auth, "Content-Type": "application/json" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      }
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

function runSdk(input: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        "--require",
        "tsx/cjs",
        join(__dirname, "drive-sdk-child.ts"),
        JSON.stringify({ baseUrl, file: join(dir, "video.mp4"), size: SIZE, ...input }),
      ],
      {
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: join(dir, "cert.pem"),
          SDK_TEST_TOKEN: h.token,
        },
        maxBuffer: 1 << 20,
      },
      (error, stdout, stderr) => {
        const line = stdout.trim().split("\n").pop();
        if (!line)
          return reject(new Error(`SDK child printed nothing: ${error?.message ?? ""} ${stderr}`));
        resolve(JSON.parse(line) as Record<string, unknown>);
      }
    );
  });
}

test.each([["FileUpload"], ["StreamUpload"]] as const)(
  "OneDriveLargeFileUploadTask (%s, default 5 MiB ranges) uploads 12 MiB into /Attachments; SHA-256 matches",
  async (fileObject) => {
    // What a client must do first (the default missingFolder is notFound): make sure the folder exists.
    const folder = await postJson("/v1.0/me/drive/root/children", {
      name: "Attachments",
      folder: {},
      "@microsoft.graph.conflictBehavior": "replace",
    });
    expect(folder).toBe(201);
    const result = await runSdk({ fileObject, fileName: "video.mp4", path: "/Attachments" });
    expect(result).toMatchObject({ ok: true, uploadHost: "127.0.0.1" });
    // The SDK's default range (5 MiB = 16 × 320 KiB): every range but the last passes the 320 KiB rule.
    expect(result.progress).toEqual([5 * MiB - 1, 10 * MiB - 1, SIZE - 1]);
    const item = result.item as { id: string; name: string; size: number };
    expect(item.size).toBe(SIZE);
    const stored = h.emulator.driveItems().find((i) => i.id === item.id);
    expect(stored).toMatchObject({ sha256: sha256(bytes), size: SIZE });
    expect(stored!.path).toBe(`/Attachments/${item.name}`);
    expect(h.emulator.driveSessions()).toEqual([]);
  }
);

test("the SDK's names under rename: the second upload of video.mp4 is stored as 'video 1.mp4'", async () => {
  await h.emulator.reset();
  const first = await runSdk({ fileObject: "FileUpload", fileName: "video.mp4" });
  const second = await runSdk({ fileObject: "FileUpload", fileName: "video.mp4" });
  expect([first.item, second.item]).toMatchObject([{ name: "video.mp4" }, { name: "video 1.mp4" }]);
});

test("into a folder that does not exist (missingFolder notFound, the default): createUploadSession is 404 itemNotFound", async () => {
  await h.emulator.reset();
  const result = await runSdk({
    fileObject: "FileUpload",
    fileName: "video.mp4",
    path: "/Nowhere",
  });
  expect(result).toMatchObject({ ok: false, statusCode: 404, code: "itemNotFound" });
  expect(h.emulator.driveSessions()).toEqual([]);
});

// SDK finding (v3.0.7): getValidRangeSize caps a larger rangeSize at exactly 60 MiB, but the docs
// say every request must be "less than 60 MiB": the emulator refuses that first range (413
// maxFragmentLengthExceeded, before reading its body) and the SDK rejects; cancel() deletes.
test("rangeSize over 60 MiB: the SDK's cap of exactly 60 MiB is refused as the docs' rule says (413), cancel() deletes the session", async () => {
  await h.emulator.reset();
  const big = join(dir, "big.bin");
  writeFileSync(big, seededBytes(61 * MiB, 61));
  const result = await runSdk({
    file: big,
    size: 61 * MiB,
    fileObject: "StreamUpload",
    fileName: "big.bin",
    rangeSize: 64 * MiB,
  });
  expect(result).toMatchObject({ ok: false, code: "invalidRequest", cancelStatus: 204 });
  expect(h.emulator.driveSessions()).toEqual([]);
  expect(h.emulator.driveItems().filter((i) => i.kind === "file")).toEqual([]);
});
