// Malformed or lying answers from Graph / the upload host, from a purpose-built server (the
// emulator is honest by design). Each gets a clear typed error, a bounded number of requests, and
// the session DELETEd so nothing half-finished lingers on the server.
import {
  HttpError,
  ProtocolError,
  attachFile,
  withUploadOrigins,
  type AttachResult,
  type ResumeRecord,
  type UploadFile,
} from "../../../src/upload";
import { advance, startLyingServer, type LyingServer, type Scenario } from "./lying-server";

const MiB = 1024 * 1024;
const SIZE = 5 * MiB;
const CHUNK = 1 * MiB;

function memoryFile(size = SIZE): UploadFile {
  const bytes = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
  const blob = new Blob([bytes]);
  return {
    name: "report.bin",
    size,
    type: "application/octet-stream",
    slice: (s, e, t) => blob.slice(s, e, t),
  };
}

let server: LyingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function attachAgainst(scenario: Scenario, file = memoryFile()) {
  server = await startLyingServer(scenario);
  const records: (ResumeRecord | null)[] = [];
  let result: AttachResult | undefined;
  let error: unknown;
  try {
    result = await attachFile(
      file,
      { graphBaseUrl: server.graphBaseUrl, mailbox: "me", itemKind: "message", itemId: "ITEM-1" },
      async () => "graph-token-xyz",
      {
        chunkSize: CHUNK,
        retryDelays: [5, 5],
        deleteTimeoutMs: 2_000,
        allowedUploadOrigins: withUploadOrigins(new URL(server.graphBaseUrl).origin),
        onResumeRecord: (r) => records.push(r),
      }
    );
  } catch (e) {
    error = e;
  }
  const uploads = server.requests.filter((r) => r.path.startsWith("/upload/"));
  return {
    result,
    error,
    records,
    uploads,
    puts: uploads.filter((r) => r.method === "PUT"),
    deletes: uploads.filter((r) => r.method === "DELETE"),
  };
}

function expectProtocolError(error: unknown, text: RegExp) {
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as Error).message).toMatch(text);
  // The message is about the protocol, never the secret URL.
  expect((error as Error).message).not.toMatch(/authtoken|upl0adS3cret|\/upload\//);
}

test("createUploadSession answering a body that is not JSON → ProtocolError, no range sent", async () => {
  const run = await attachAgainst({
    createSession: () => ({ status: 201, body: "{ this is not json" }),
    put: () => advance(0),
  });
  expectProtocolError(run.error, /not JSON/);
  expect(run.puts).toHaveLength(0);
});

test("a 200 whose body is not JSON → ProtocolError and the session is deleted", async () => {
  const run = await attachAgainst({ put: () => ({ status: 200, body: "<html>gateway</html>" }) });
  expectProtocolError(run.error, /not JSON/);
  expect(run.puts).toHaveLength(1);
  expect(run.deletes).toHaveLength(1);
  expect(run.records.at(-1)).toBeNull();
});

test("NextExpectedRanges beyond the end of the file → ProtocolError naming the byte, session deleted", async () => {
  const run = await attachAgainst({ put: () => advance(SIZE + 12345) });
  expectProtocolError(run.error, new RegExp(`byte ${SIZE + 12345} of a ${SIZE}-byte file`));
  expect(run.puts).toHaveLength(1);
  expect(run.deletes).toHaveLength(1);
});

test("an unreadable NextExpectedRanges entry → ProtocolError", async () => {
  const run = await attachAgainst({
    put: () => ({ status: 200, body: JSON.stringify({ NextExpectedRanges: ["soon"] }) }),
  });
  expectProtocolError(run.error, /Unreadable NextExpectedRanges/);
  expect(run.deletes).toHaveLength(1);
});

test("a 201 without Location (and no id in the body) → ProtocolError saying the attachment may exist", async () => {
  const run = await attachAgainst({
    put: ({ end }) => (end + 1 < SIZE ? advance(end + 1) : { status: 201 }),
  });
  expectProtocolError(run.error, /no Location header.*may exist on the item/s);
  expect(run.puts).toHaveLength(SIZE / CHUNK);
  expect(run.records.at(-1)).toBeNull(); // nothing left to resume
});

test("a 200 that never advances → ProtocolError after a bounded number of PUTs, session deleted", async () => {
  const run = await attachAgainst({ put: () => advance(0) });
  expectProtocolError(run.error, /acknowledged no new bytes 3 times/);
  expect(run.puts.length).toBeLessThanOrEqual(4);
  expect(run.deletes).toHaveLength(1);
});

test("a server that moves backwards forever is not followed into a loop", async () => {
  // Acknowledges 1 MiB, then keeps asking for byte 0 again.
  const run = await attachAgainst({ put: ({ n }) => advance(n === 1 ? CHUNK : 0) });
  expectProtocolError(run.error, /acknowledged no new bytes/);
  expect(run.puts.length).toBeLessThanOrEqual(6);
});

test("no request to the upload URL carries Authorization, even against a lying server", async () => {
  const run = await attachAgainst({
    put: ({ end }) => (end + 1 < SIZE ? advance(end + 1) : { status: 201 }),
  });
  expect(run.uploads.length).toBeGreaterThan(1);
  for (const r of run.uploads) expect(r.headers.authorization).toBeUndefined();
  const graphCalls = server!.requests.filter((r) => r.path.startsWith("/v1.0/"));
  expect(graphCalls.length).toBeGreaterThan(0);
  for (const r of graphCalls) expect(r.headers.authorization).toBe("Bearer graph-token-xyz");
});

test("a 201 whose Location names another item → ProtocolError, not a success for the wrong item", async () => {
  const run = await attachAgainst({
    put: ({ end }) =>
      end + 1 < SIZE
        ? advance(end + 1)
        : {
            status: 201,
            headers: {
              Location:
                "https://outlook.office.com/api/v2.0/Users('u1')/Messages('SOME-OTHER-ITEM')/Attachments('att-9')",
            },
          },
  });
  expect(run.result).toBeUndefined();
  expectProtocolError(run.error, /another item/);
});

describe("a name the server rejects (400 with a Graph error body)", () => {
  const rejection = {
    status: 400,
    body: JSON.stringify({
      error: {
        code: "ErrorInvalidAttachmentName",
        message: "The attachment name is not valid.",
        innerError: { "request-id": "4c1f0e2a-8b3d-4e5f-9a6b-7c8d9e0f1a2b" },
      },
    }),
  };

  test.each([
    ["an upload session", SIZE],
    ["the single POST", 64 * 1024],
  ])(
    "through %s → HttpError 400 with the code and request id, not retried, nothing sent after",
    async (_route, size) => {
      const run = await attachAgainst(
        { createSession: () => rejection, postAttachment: () => rejection, put: () => advance(0) },
        memoryFile(size)
      );
      expect(run.error).toBeInstanceOf(HttpError);
      expect(run.error).toMatchObject({
        status: 400,
        code: "ErrorInvalidAttachmentName",
        requestId: "4c1f0e2a-8b3d-4e5f-9a6b-7c8d9e0f1a2b",
        retryable: false,
      });
      expect((run.error as Error).message).toMatch(/The attachment name is not valid/);
      const graphCalls = server!.requests.filter((r) => r.method === "POST");
      expect(graphCalls).toHaveLength(1);
      expect(run.uploads).toHaveLength(0);
    }
  );
});
