import { retryFields } from "../../../src/upload/queue";
import { StallError } from "../../../src/upload/stall";
import {
  AbortError,
  FileReadError,
  HttpError,
  MessageSizeExceededError,
  NetworkError,
  ProtocolError,
  RestrictionError,
  SessionExpiredError,
  canRetry,
  canRetryFile,
  PauseRequest,
  UploadQueue,
  type AttachResult,
  type QueueState,
  type UploadFile,
  type UploadOptions,
} from "../../../src/upload";
import { FakeFetch, TOKEN, target, testOptions, virtualFile } from "./helpers/fake-fetch";

interface Call {
  file: UploadFile;
  options: Partial<UploadOptions>;
  resolve(result: AttachResult): void;
  reject(error: unknown): void;
}

/** An attachFile stand-in the test drives: each call waits until the test settles it; abort rejects like the engine. */
function fakeAttach() {
  const calls: Call[] = [];
  const attach = jest.fn(
    (file: UploadFile, _t: unknown, _g: unknown, options: Partial<UploadOptions> = {}) =>
      new Promise<AttachResult>((resolve, reject) => {
        options.signal?.addEventListener("abort", () =>
          reject(new AbortError(options.signal?.reason instanceof PauseRequest))
        );
        calls.push({ file, options, resolve, reject });
      })
  );
  return { calls, attach };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const files = (n: number) =>
  Array.from({ length: n }, (_, i) => virtualFile(4_000_000 + i, `f${i}.bin`));
const phases = (s: QueueState) => s.files.map((f) => f.phase);

describe("UploadQueue", () => {
  test("runs at most `concurrency` files at once, starts the next as one finishes, sums progress", async () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, concurrency: 2, attach });
    const ids = queue.add(files(3));
    expect(ids).toHaveLength(3);
    expect(calls).toHaveLength(2);
    expect(queue.getState().active).toBe(2);
    expect(phases(queue.getState())).toEqual(["creating-session", "creating-session", "queued"]);
    calls[0].options.onProgress!({
      bytesSent: 1000,
      bytesAcknowledged: 500,
      bytesTotal: 4_000_000,
    });
    expect(queue.getState().total).toEqual({
      bytesSent: 1000,
      bytesAcknowledged: 500,
      bytesTotal: 12_000_003,
    });
    calls[0].resolve({ attachmentId: "A0", route: "session", bytes: 4_000_000, ms: 1 });
    await flush();
    expect(calls).toHaveLength(3);
    expect(queue.getState().files[0]).toMatchObject({
      phase: "attached",
      result: { attachmentId: "A0" },
    });
    expect(queue.getState().files[0].progress.bytesSent).toBe(4_000_000);
  });

  test("getState returns the same object until something changes; subscribers hear each change", () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, attach });
    const listener = jest.fn();
    queue.subscribe(listener);
    queue.add(files(1));
    const a = queue.getState();
    expect(queue.getState()).toBe(a);
    const count = listener.mock.calls.length;
    calls[0].options.onProgress!({ bytesSent: 10, bytesAcknowledged: 0, bytesTotal: 4_000_000 });
    const b = queue.getState();
    expect(b).not.toBe(a);
    expect(listener.mock.calls.length).toBe(count + 1);
    expect(Object.isFrozen(b) && Object.isFrozen(b.files)).toBe(true);
    calls[0].options.onProgress!({ bytesSent: 10, bytesAcknowledged: 0, bytesTotal: 4_000_000 }); // same values
    expect(queue.getState()).toBe(b);
  });

  test("pause keeps the session; resume passes the last resume record back to the engine", async () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, attach });
    const [id] = queue.add(files(1));
    const rec = { version: 1, offset: 123 } as never;
    calls[0].options.onResumeRecord!(rec);
    queue.pause(id);
    await flush();
    expect(queue.getState().files[0]).toMatchObject({ phase: "paused", resumable: true });
    queue.resume(id);
    expect(calls).toHaveLength(2);
    expect(calls[1].options.resume).toBe(rec);
  });

  test("cancel aborts (engine DELETEs) and emits cancelled; retry re-queues; retryAll only touches failed/cancelled", async () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, attach, concurrency: 3 });
    const cancelled = jest.fn();
    queue.on("cancelled", cancelled);
    const [a, b] = queue.add(files(3));
    queue.cancel(a);
    calls[1].reject(new HttpError("boom", { status: 500 }, { retryable: true }));
    await flush();
    expect(cancelled).toHaveBeenCalledWith({ id: a });
    expect(phases(queue.getState())).toEqual(["cancelled", "failed", "creating-session"]);
    expect(queue.getState().files[1].error).toBeInstanceOf(HttpError);
    queue.retry(b);
    expect(calls).toHaveLength(4);
    queue.retryAll();
    expect(calls).toHaveLength(5); // only the cancelled one was left to retry
  });

  test("pauseAll / resumeAll / cancelAll and whenIdle", async () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, attach, concurrency: 1 });
    queue.add(files(3));
    queue.pauseAll();
    await flush();
    expect(phases(queue.getState())).toEqual(["paused", "paused", "paused"]);
    expect(calls).toHaveLength(1);
    queue.resumeAll();
    expect(calls).toHaveLength(2);
    const idle = queue.whenIdle();
    queue.cancelAll();
    const state = await idle;
    expect(phases(state)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(state.total.bytesTotal).toBe(0);
  });

  test("a restricted file fails at once without reaching the engine", () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, attach });
    queue.add(virtualFile(157_286_401));
    expect(calls).toHaveLength(0);
    expect(queue.getState().files[0]).toMatchObject({
      phase: "failed",
      error: { reason: "too-large" },
    });
    expect(queue.getState().idle).toBe(true);
  });

  test("with the real engine: cancelling a running session DELETEs it", async () => {
    const fake = new FakeFetch();
    const { options } = testOptions(fake);
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, uploadOptions: options });
    const [id] = queue.add(virtualFile(5_000_000));
    (await fake.nextRequest()).respondWith(201, {
      uploadUrl: "https://up.test/s?authtoken=t",
      nextExpectedRanges: ["0-"],
    });
    await fake.nextRequest(); // first range in flight
    queue.cancel(id);
    const del = await fake.nextRequest();
    expect(del.method).toBe("DELETE");
    del.respondWith(204);
    const state = await queue.whenIdle();
    expect(state.files[0].phase).toBe("cancelled");
  });

  test("canRetry: true only where trying the same upload again can help", () => {
    expect(canRetry(new NetworkError("down"))).toBe(true);
    expect(canRetry(new SessionExpiredError())).toBe(true);
    expect(canRetry(new HttpError("busy", { status: 503 }, { retryable: true }))).toBe(true);
    expect(canRetry(new HttpError("bad", { status: 400 }))).toBe(false);
    expect(canRetry(new MessageSizeExceededError({ status: 413 }))).toBe(false);
    expect(canRetry(new RestrictionError("too-large", "big"))).toBe(false);
    expect(canRetry(new FileReadError("a.bin"))).toBe(false);
    expect(canRetry(new ProtocolError("nonsense"))).toBe(false);
    expect(canRetry(new AbortError(false))).toBe(false);
    expect(canRetry(undefined)).toBe(false);
    expect(canRetry(new Error("plain"))).toBe(false);
  });

  test("retry and retryAll follow canRetryFile: a failure that cannot be retried stays failed", async () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, attach, concurrency: 3 });
    const [a] = queue.add(files(2));
    calls[0].reject(new MessageSizeExceededError({ status: 413 }));
    calls[1].reject(new NetworkError("down"));
    await flush();
    const [fa, fb] = queue.getState().files;
    expect([canRetryFile(fa), canRetryFile(fb)]).toEqual([false, true]);
    queue.retry(a);
    expect(calls).toHaveLength(2);
    queue.retryAll();
    expect(calls).toHaveLength(3);
    expect(calls[2].file.name).toBe("f1.bin");
    expect(phases(queue.getState())[0]).toBe("failed");
  });

  test("discard: a failed file with a session is DELETEd (bounded), its record dropped, the row removed", async () => {
    const fake = new FakeFetch();
    const { calls, attach } = fakeAttach();
    const records: unknown[] = [];
    const queue = new UploadQueue({
      target,
      getToken: async () => TOKEN,
      attach,
      uploadOptions: { fetch: fake.fetch },
      onResumeRecord: (_id, _file, record) => records.push(record),
    });
    const [id] = queue.add(files(1));
    calls[0].options.onResumeRecord!({
      version: 1,
      offset: 5,
      uploadUrl: "https://up.test/s?authtoken=t",
    } as never);
    calls[0].reject(new NetworkError("down"));
    await flush();
    const done = queue.discard(id);
    const del = await fake.nextRequest();
    expect(del.method).toBe("DELETE");
    expect(del.url).toBe("https://up.test/s?authtoken=t");
    expect(del.signal).toBeDefined(); // bounded by deleteTimeoutMs
    del.respondWith(204);
    await done;
    expect(records.at(-1)).toBeNull();
    expect(queue.getState().files).toHaveLength(0);
  });

  test("withdraw hands back a file that never started and leaves running, begun and resumable rows alone", async () => {
    const { calls, attach } = fakeAttach();
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, concurrency: 1, attach });
    const list = files(3);
    const [running, waiting, paused] = queue.add(list);
    queue.pause(paused);
    expect(queue.withdraw(running)).toBeUndefined();
    expect(queue.withdraw(paused)).toBeUndefined(); // the user's pause is theirs to undo
    expect(queue.withdraw(waiting)).toBe(list[1]);
    expect(queue.getState().files.map((f) => f.id)).toEqual([running, paused]);
    calls[0].resolve({ attachmentId: "a", route: "session", bytes: list[0].size, ms: 1 });
    await flush();
    expect(calls).toHaveLength(1); // the withdrawn file never reached the engine
    const [resumed] = queue.add(list[1], {
      resume: [{ version: 1, offset: 5, uploadUrl: "https://up.test/s?authtoken=t" } as never],
    });
    expect(queue.withdraw(resumed)).toBeUndefined(); // a session to continue is on the server
  });

  test("discard of a running file cancels it (the engine DELETEs) and removes the row", async () => {
    const fake = new FakeFetch();
    const { options } = testOptions(fake);
    const queue = new UploadQueue({ target, getToken: async () => TOKEN, uploadOptions: options });
    const [id] = queue.add(virtualFile(5_000_000));
    (await fake.nextRequest()).respondWith(201, {
      uploadUrl: "https://up.test/s?authtoken=t",
      nextExpectedRanges: ["0-"],
    });
    await fake.nextRequest(); // first range in flight
    const done = queue.discard(id);
    const del = await fake.nextRequest();
    expect(del.method).toBe("DELETE");
    del.respondWith(204);
    await done;
    expect(queue.getState().files).toHaveLength(0);
  });
});

describe("retryFields (the row's retry reason)", () => {
  it("names a stall with its bound, a dropped connection, throttling, and clears outside retrying", () => {
    expect(retryFields("retrying", new StallError("answer", 2000))).toEqual({
      retryReason: "stall",
      stalledMs: 2000,
    });
    expect(retryFields("retrying", new NetworkError("reset")).retryReason).toBe("network");
    expect(retryFields("retrying", new HttpError("busy", { status: 503 })).retryReason).toBe(
      "throttled"
    );
    expect(retryFields("retrying", new Error("?")).retryReason).toBe("other");
    expect(retryFields("uploading", new StallError("sending", 2000))).toEqual({
      retryReason: undefined,
      stalledMs: undefined,
    });
  });
});
