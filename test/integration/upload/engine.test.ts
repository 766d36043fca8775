import {
  AbortError,
  MessageSizeExceededError,
  RestrictionError,
  SharedMailboxForbiddenError,
  UploadQueue,
  attachFile,
  type ResumeRecord,
  type UploadPhase,
} from "../../../src/upload";
import { PauseRequest } from "../../../src/upload/errors";
import {
  bootEmulator,
  createItem,
  fastRetries,
  memoryFile,
  sha256OfValue,
  targetFor,
  type Emulator,
} from "./helpers";

const MiB = 1024 * 1024;
let emu: Emulator;
let getToken: () => Promise<string>;

beforeAll(async () => {
  emu = await bootEmulator();
  getToken = async () => emu.issueToken();
});
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

async function attachAndVerify(size: number, options = {}, kind: "message" | "event" = "message") {
  const target = targetFor(emu, await createItem(emu, kind), kind);
  const file = memoryFile(size);
  const result = await attachFile(file, target, getToken, { ...fastRetries, ...options });
  expect(result.bytes).toBe(size);
  expect(await sha256OfValue(emu, target, result.attachmentId)).toBe(file.sha256);
  const stored = emu.attachments().find((a) => a.id === result.attachmentId);
  expect(stored?.sha256).toBe(file.sha256);
  expect(emu.openSessions()).toEqual([]);
  return result;
}

describe("routing boundaries against the emulator", () => {
  test.each([
    [0, "post"],
    [3_145_611, "post"],
    [3_145_727, "session"],
    [3_145_728, "session"],
  ])("%d bytes → %s, bytes read back equal", async (size, route) => {
    const result = await attachAndVerify(size);
    expect(result.route).toBe(route);
  });

  test("157,286,401 bytes is refused before any request", async () => {
    const target = targetFor(emu, await createItem(emu));
    const file = { name: "huge.bin", size: 157_286_401, slice: () => new Blob([]) };
    await expect(attachFile(file, target, getToken)).rejects.toBeInstanceOf(RestrictionError);
    expect(emu.openSessions()).toEqual([]);
  });

  test("an event takes attachments too", async () => {
    expect((await attachAndVerify(3 * MiB + 5, {}, "event")).route).toBe("session");
  });
});

describe("response forms", () => {
  test.each([
    [{ rangeCasing: "pascal", rangeForm: "bare" }],
    [{ rangeCasing: "camel", rangeForm: "dashed" }],
    [{ rangeCasing: "pascal", rangeForm: "dashed" }],
    [{ rangeCasing: "camel", rangeForm: "bare" }],
    [{ apiVersion: "beta", pathCasing: "lower", locationHost: "outlook.office.com" }],
    [{ apiVersion: "gv1.0", uploadHost: "localhost" }],
    [{ getStatus: true }],
  ] as const)("%j", async (config) => {
    emu.configure(config);
    await attachAndVerify(3 * MiB + 12_345, { chunkSize: MiB });
  });
});

describe("faults", () => {
  test.each([false, true])(
    "a dropped connection mid-range resumes (GET status %s)",
    async (getStatus) => {
      emu.configure({
        getStatus,
        faults: { dropConnection: { putNumber: 2, afterBytes: 300_000 } },
      });
      await attachAndVerify(4 * MiB + 1, { chunkSize: MiB });
    }
  );

  test("503 and 429 with Retry-After are waited out", async () => {
    emu.configure({
      faults: {
        script: [
          { status: 503, count: 1, retryAfterSeconds: 1, target: "upload" },
          { status: 429, count: 1, retryAfterSeconds: 1, target: "upload" },
        ],
      },
    });
    const phases: UploadPhase[] = [];
    const waits: number[] = [];
    await attachAndVerify(3 * MiB + 1, {
      chunkSize: MiB,
      onPhase: (p: UploadPhase) => phases.push(p),
      // Record each wait (and skip it): the server's Retry-After, not the 50 ms jittered base.
      sleep: async (ms: number) => void waits.push(ms),
    });
    expect(phases.filter((p) => p === "retrying")).toHaveLength(2);
    expect(waits).toEqual([1_000, 1_000]);
  });

  test("a session that expires mid-upload is replaced and the upload restarts", async () => {
    emu.configure({ sessionTtlSeconds: 1, faults: { bandwidthBytesPerSec: 2 * MiB } });
    const urls = new Set<string>();
    await attachAndVerify(4 * MiB, {
      chunkSize: MiB,
      onResumeRecord: (record: ResumeRecord | null) => {
        if (record) urls.add(record.uploadUrl);
        // Later sessions live long enough to finish.
        if (urls.size === 1) emu.configure({ sessionTtlSeconds: 900 });
      },
    });
    expect(urls.size).toBe(2);
  });

  test("a session lost to a server restart is replaced", async () => {
    const target = targetFor(emu, await createItem(emu));
    const file = memoryFile(4 * MiB);
    let restarted = false;
    const result = await attachFile(file, target, getToken, {
      ...fastRetries,
      chunkSize: MiB,
      onChunkComplete: () => {
        if (!restarted) {
          restarted = true;
          void emu.restart();
        }
      },
    });
    expect(await sha256OfValue(emu, target, result.attachmentId)).toBe(file.sha256);
  });

  test("ErrorMessageSizeExceeded part-way stops with a specific error and leaves no session", async () => {
    emu.configure({ maxMessageSizeBytes: 5 * MiB });
    const target = targetFor(emu, await createItem(emu));
    const error = await attachFile(memoryFile(8 * MiB), target, getToken, {
      ...fastRetries,
      chunkSize: 2 * MiB,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(MessageSizeExceededError);
    expect(error.code).toBe("ErrorMessageSizeExceeded");
    expect(emu.openSessions()).toEqual([]);
    expect(emu.attachments()).toEqual([]);
  });

  test("cancel aborts, DELETEs the session and attaches nothing", async () => {
    const target = targetFor(emu, await createItem(emu));
    const controller = new AbortController();
    const records: (ResumeRecord | null)[] = [];
    const error = await attachFile(memoryFile(6 * MiB), target, getToken, {
      ...fastRetries,
      chunkSize: MiB,
      signal: controller.signal,
      onChunkComplete: () => controller.abort(),
      onResumeRecord: (r) => records.push(r),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(emu.openSessions()).toEqual([]);
    expect(emu.attachments()).toEqual([]);
    expect(records.at(-1)).toBeNull();
  });

  test("a draft not yet synced (404 ErrorItemNotFound) is waited for", async () => {
    emu.configure({ itemInvisibleSeconds: 1 });
    const phases: UploadPhase[] = [];
    await attachAndVerify(3 * MiB + 3, {
      itemWaitMs: 20_000,
      onPhase: (p: UploadPhase) => phases.push(p),
    });
    expect(phases).toContain("waiting-for-item");
  });
});

describe("shared mailboxes (/users/{upn}/…)", () => {
  async function sharedItem() {
    const control = (path: string, body: object) =>
      fetch(`${emu.url}/_emulator/${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (r) => {
        if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return r.json() as Promise<{ id: string }>;
      });
    await control("mailboxes", { mailbox: "team@contoso.test", delegates: ["adele@contoso.test"] });
    const { id } = await control("items", { kind: "message", mailbox: "team@contoso.test" });
    return {
      graphBaseUrl: emu.graphUrl,
      mailbox: "team@contoso.test",
      itemKind: "message" as const,
      itemId: id,
    };
  }

  test("403 on createUploadSession → SharedMailboxForbiddenError", async () => {
    const target = await sharedItem();
    const error = await attachFile(memoryFile(4 * MiB), target, getToken, fastRetries).catch(
      (e) => e
    );
    expect(error).toBeInstanceOf(SharedMailboxForbiddenError);
    expect(error.status).toBe(403);
  });

  test("where the service allows it, both routes attach to the shared mailbox's item", async () => {
    emu.configure({ sharedMailbox403: false });
    const target = await sharedItem();
    for (const file of [memoryFile(1000, "small.bin"), memoryFile(4 * MiB + 3, "big.bin")]) {
      const result = await attachFile(file, target, getToken, fastRetries);
      expect(emu.attachments().find((a) => a.id === result.attachmentId)).toMatchObject({
        mailbox: "team@contoso.test",
        sha256: file.sha256,
      });
    }
  });
});

describe("many files and resume", () => {
  test("four files concurrently through the queue", async () => {
    const itemId = await createItem(emu);
    const target = targetFor(emu, itemId);
    const files = [3 * MiB + 1, 4 * MiB, 5 * MiB + 17, 1000].map((size, i) =>
      memoryFile(size, `f${i}.bin`, i + 1)
    );
    const queue = new UploadQueue({
      target,
      getToken,
      concurrency: 4,
      uploadOptions: { ...fastRetries, chunkSize: MiB },
    });
    let maxActive = 0;
    queue.subscribe(() => (maxActive = Math.max(maxActive, queue.getState().active)));
    queue.add(files);
    const state = await queue.whenIdle();
    expect(state.files.map((f) => f.phase)).toEqual([
      "attached",
      "attached",
      "attached",
      "attached",
    ]);
    expect(maxActive).toBe(4);
    expect(state.total.bytesAcknowledged).toBe(files.reduce((n, f) => n + f.size, 0));
    for (const [i, f] of state.files.entries()) {
      expect(await sha256OfValue(emu, target, f.result!.attachmentId)).toBe(files[i].sha256);
    }
    expect(emu.openSessions()).toEqual([]);
  });

  test("a paused upload continues in a new attachFile call from its resume record", async () => {
    emu.configure({ getStatus: true });
    const target = targetFor(emu, await createItem(emu));
    const file = memoryFile(5 * MiB + 9);
    const controller = new AbortController();
    let record: ResumeRecord | null = null;
    const paused = await attachFile(file, target, getToken, {
      ...fastRetries,
      chunkSize: MiB,
      signal: controller.signal,
      onResumeRecord: (r) => (record = r),
      onChunkComplete: (_n, acked) => acked >= 2 * MiB && controller.abort(new PauseRequest()),
    }).catch((e) => e);
    expect(paused).toMatchObject({ name: "AbortError", paused: true });
    expect(emu.openSessions()).toHaveLength(1);
    const saved = JSON.parse(JSON.stringify(record)) as ResumeRecord; // as a new process would read it
    expect(saved.offset).toBeGreaterThanOrEqual(2 * MiB);
    const puts: string[] = [];
    const result = await attachFile(file, target, getToken, {
      ...fastRetries,
      chunkSize: MiB,
      resume: saved,
      fetch: (input, init) => {
        if (init?.method === "PUT")
          puts.push(String((init.headers as Record<string, string>)["Content-Range"]));
        return fetch(input, init);
      },
    });
    expect(puts[0]).toMatch(new RegExp(`^bytes ${saved.offset}-`));
    expect(await sha256OfValue(emu, target, result.attachmentId)).toBe(file.sha256);
  });
});
