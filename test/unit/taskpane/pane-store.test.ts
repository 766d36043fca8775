import { HttpError, MessageSizeExceededError, NetworkError } from "../../../src/upload/errors";
import { MAX_ATTACHMENT_SIZE } from "../../../src/upload/routing";
import { createPaneStore } from "../../../src/taskpane/store/pane-store";
import { storageKey } from "../../../src/taskpane/store/resume-storage";
import { TARGET, USER, fakeEngine, fakeHost, file, flush, memoryStorage, record } from "./helpers";

const MiB = 1024 * 1024;

function setup(
  options: {
    limit?: number;
    storage?: ReturnType<typeof memoryStorage>;
    visibility?: ("visible" | "not-yet-visible" | "unsupported")[];
  } = {}
) {
  const engine = fakeEngine();
  const { host, verifyCalls } = fakeHost(options.visibility);
  const storage = options.storage ?? memoryStorage();
  const store = createPaneStore({
    host,
    getToken: async () => "token",
    config: {
      graphBaseUrl: "http://127.0.0.1:1/v1.0",
      messageSizeLimit: options.limit ?? MAX_ATTACHMENT_SIZE,
    },
    storage,
    attach: engine.attach,
    verifyRecheckMs: 1,
  });
  store.setTarget(TARGET);
  return { store, engine, storage, verifyCalls };
}

describe("pane store: restrictions on pick", () => {
  it("refuses a file over 150 MiB with its own notice and never calls the engine", () => {
    const { store, engine } = setup();
    store.addFiles([file("huge.iso", MAX_ATTACHMENT_SIZE + 1)]);
    expect(engine.calls).toHaveLength(0);
    expect(store.getState().queue.files).toHaveLength(0);
    expect(store.getState().notices).toEqual([
      expect.objectContaining({
        kind: "too-large",
        name: "huge.iso",
        size: MAX_ATTACHMENT_SIZE + 1,
      }),
    ]);
  });

  it("accepts exactly 150 MiB", () => {
    const { store, engine } = setup();
    store.addFiles([file("max.bin", MAX_ATTACHMENT_SIZE)]);
    expect(engine.calls).toHaveLength(1);
    expect(store.getState().notices).toEqual([]);
  });

  it("refuses the file that would take the item over the configured tenant limit, counting files already picked", () => {
    const { store, engine } = setup({ limit: 10 * MiB });
    store.addFiles([file("a.pdf", 6 * MiB), file("b.pdf", 3 * MiB), file("c.pdf", 2 * MiB)]);
    expect(engine.calls.map((c) => c.file.name)).toEqual(["a.pdf", "b.pdf"]);
    expect(store.getState().notices).toEqual([
      expect.objectContaining({
        kind: "over-limit",
        name: "c.pdf",
        projected: 11 * MiB,
        limit: 10 * MiB,
        learned: false,
      }),
    ]);
  });

  it("flags a duplicate (same name, size and date) instead of attaching it twice", () => {
    const { store, engine } = setup();
    store.addFiles([file("a.pdf", 5 * MiB)]);
    store.addFiles([file("a.pdf", 5 * MiB), file("a.pdf", 5 * MiB, 1)]);
    expect(engine.calls).toHaveLength(2); // the different-date file is another file
    expect(store.getState().notices).toEqual([
      expect.objectContaining({ kind: "duplicate", name: "a.pdf" }),
    ]);
  });

  it("does not count cancelled or failed files against the limit or as duplicates", async () => {
    const { store, engine } = setup({ limit: 10 * MiB });
    store.addFiles([file("a.pdf", 8 * MiB)]);
    engine.calls[0].fail(new NetworkError("gone"));
    await flush();
    store.addFiles([file("a.pdf", 8 * MiB)]);
    expect(engine.calls).toHaveLength(2);
    expect(store.getState().notices).toEqual([]);
  });
});

describe("pane store: learning the tenant limit", () => {
  it("lowers the limit when Graph answers ErrorMessageSizeExceeded and explains it on the next pick", async () => {
    const { store, engine } = setup();
    store.addFiles([file("first.bin", 30 * MiB)]);
    engine.calls[0].succeed();
    await flush();
    store.addFiles([file("second.bin", 20 * MiB)]);
    engine.calls[1].fail(
      new MessageSizeExceededError({
        status: 413,
        code: "ErrorMessageSizeExceeded",
        requestId: "r-1",
      })
    );
    await flush();
    const state = store.getState();
    expect(state.limitLearned).toBe(true);
    expect(state.messageSizeLimit).toBe(50 * MiB - 1);
    expect(state.queue.files[1].phase).toBe("failed");
    store.addFiles([file("third.bin", 20 * MiB)]);
    expect(engine.calls).toHaveLength(2);
    expect(store.getState().notices).toEqual([
      expect.objectContaining({ kind: "over-limit", name: "third.bin", learned: true }),
    ]);
    // A smaller file still fits under the learned limit.
    store.addFiles([file("small.bin", 5 * MiB)]);
    expect(engine.calls).toHaveLength(3);
  });

  it("keeps the configured limit for other HTTP failures", async () => {
    const { store, engine } = setup();
    store.addFiles([file("x.bin", 5 * MiB)]);
    engine.calls[0].fail(new HttpError("nope", { status: 500, code: "InternalServerError" }));
    await flush();
    expect(store.getState().limitLearned).toBe(false);
    expect(store.getState().messageSizeLimit).toBe(MAX_ATTACHMENT_SIZE);
  });
});

describe("pane store: after attach", () => {
  it("announces the attach and asks Outlook whether the compose form shows it, twice before advising", async () => {
    const { store, engine, verifyCalls } = setup({
      visibility: ["not-yet-visible", "not-yet-visible"],
    });
    store.addFiles([file("deck.pptx", 4 * MiB)]);
    engine.calls[0].succeed({ attachmentId: "AAMkAtt" });
    await flush();
    expect(store.getState().announcement).toEqual(
      expect.objectContaining({ key: "announceAttached", values: { name: "deck.pptx" } })
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(verifyCalls).toEqual([
      { attachmentId: "AAMkAtt", name: "deck.pptx" },
      { attachmentId: "AAMkAtt", name: "deck.pptx" },
    ]);
    const id = store.getState().queue.files[0].id;
    expect(store.getState().verification[id]).toBe("not-yet-visible");
  });

  it("announces a failure", async () => {
    const { store, engine } = setup();
    store.addFiles([file("a.bin", 4 * MiB)]);
    engine.calls[0].fail(new NetworkError("down"));
    await flush();
    expect(store.getState().announcement).toEqual(
      expect.objectContaining({ key: "announceFailed", values: { name: "a.bin" } })
    );
  });
});

describe("pane store: offline", () => {
  it("pauses running uploads when the browser goes offline and resumes them when it is back", async () => {
    const { store, engine } = setup();
    store.addFiles([file("a.bin", 10 * MiB), file("b.bin", 10 * MiB)]);
    store.setOffline(true);
    await flush();
    expect(engine.calls.every((c) => c.aborted)).toBe(true);
    expect(store.getState().queue.files.map((f) => f.phase)).toEqual(["paused", "paused"]);
    expect(store.getState().offline).toBe(true);
    store.setOffline(false);
    await flush();
    expect(engine.calls).toHaveLength(4);
    expect(store.getState().queue.files.map((f) => f.phase)).not.toContain("paused");
  });

  it("does not resume a file the user paused themselves", async () => {
    const { store, engine } = setup();
    store.addFiles([file("a.bin", 10 * MiB)]);
    const id = store.getState().queue.files[0].id;
    store.pause(id);
    await flush();
    store.setOffline(true);
    store.setOffline(false);
    await flush();
    expect(engine.calls).toHaveLength(1);
    expect(store.getState().queue.files[0].phase).toBe("paused");
  });
});

describe("pane store: resume after reload", () => {
  const key = storageKey({ user: USER, mailbox: "me", itemKind: "message", itemId: TARGET.restId });

  it("persists the engine's resume records per item and removes them when done", async () => {
    const { store, engine, storage } = setup();
    const picked = file("big.zip", 40 * MiB);
    store.addFiles([picked]);
    const rec = record({
      file: { name: "big.zip", size: 40 * MiB, lastModified: picked.lastModified },
    });
    engine.calls[0].options.onResumeRecord?.(rec);
    expect(JSON.parse(storage.map.get(key)!)).toEqual([rec]);
    engine.calls[0].options.onResumeRecord?.(null);
    expect(storage.map.has(key)).toBe(false);
  });

  it("offers to resume, refuses a different file, and continues the session with the same file", () => {
    const picked = file("big.zip", 40 * MiB);
    const rec = record({
      file: { name: "big.zip", size: 40 * MiB, lastModified: picked.lastModified },
    });
    const storage = memoryStorage({ [key]: JSON.stringify([rec]) });
    const { store, engine } = setup({ storage });
    const [offer] = store.getState().resumeOffers;
    expect(offer).toEqual(
      expect.objectContaining({ name: "big.zip", offset: rec.offset, expired: false })
    );

    store.resumeWith(offer.fingerprint, file("big.zip", 40 * MiB, 42));
    expect(engine.calls).toHaveLength(0);
    expect(store.getState().notices).toEqual([
      expect.objectContaining({ kind: "resume-mismatch", expected: "big.zip" }),
    ]);

    store.resumeWith(offer.fingerprint, picked);
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0].options.resume).toEqual(rec);
    expect(store.getState().resumeOffers).toEqual([]);
  });

  it("starts over cleanly when the session has expired", () => {
    const picked = file("big.zip", 40 * MiB);
    const rec = record({
      file: { name: "big.zip", size: 40 * MiB, lastModified: picked.lastModified },
      expirationDateTime: new Date(Date.now() - 1000).toISOString(),
    });
    const storage = memoryStorage({ [key]: JSON.stringify([rec]) });
    const { store, engine } = setup({ storage });
    expect(store.getState().resumeOffers[0].expired).toBe(true);
    store.addFiles([picked]); // picking through "Browse files" matches the offer too
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0].options.resume).toBeUndefined();
    expect(storage.map.has(key)).toBe(false);
  });

  it("ignores records of other items and garbage in storage", () => {
    const other = storageKey({ user: USER, mailbox: "me", itemKind: "message", itemId: "other" });
    const storage = memoryStorage({
      [other]: JSON.stringify([record({ file: { name: "x", size: 5 } })]),
      [key]: "{not json",
    });
    const { store } = setup({ storage });
    expect(store.getState().resumeOffers).toEqual([]);
  });
});

describe("pane store: compose target", () => {
  it("reports read mode from the Outlook adapter as a target error", async () => {
    const { host } = fakeHost();
    host.getComposeTarget = () =>
      Promise.reject(Object.assign(new Error("read"), { code: "read-mode" }));
    const store = createPaneStore({
      host,
      getToken: async () => "t",
      config: { graphBaseUrl: "http://x/v1.0", messageSizeLimit: 1 },
    });
    await store.start();
    expect(store.getState()).toEqual(
      expect.objectContaining({ status: "error", targetError: "read-mode" })
    );
  });

  it("asks the UI before a meeting with attendees is saved, and goes on when the user agrees", async () => {
    const { host } = fakeHost();
    host.getComposeTarget = async (opts) => {
      if (!(await opts?.confirmMeetingSave?.()))
        throw Object.assign(new Error("no"), { code: "meeting-save-declined" });
      return { ...TARGET, kind: "event" };
    };
    const store = createPaneStore({
      host,
      getToken: async () => "t",
      config: { graphBaseUrl: "http://x/v1.0", messageSizeLimit: 1 },
    });
    const started = store.start();
    await flush();
    expect(store.getState().confirmingMeetingSave).toBe(true);
    store.answerMeetingSave(true);
    await started;
    expect(store.getState()).toEqual(
      expect.objectContaining({ status: "ready", confirmingMeetingSave: false })
    );
    expect(store.getState().target?.kind).toBe("event");
  });
});

describe("pane store: progress updates", () => {
  it("publishes progress at most once per interval, the latest value last, and phase changes at once", async () => {
    const engine = fakeEngine();
    const { host } = fakeHost();
    let clock = 1_000;
    const store = createPaneStore({
      host,
      getToken: async () => "t",
      config: { graphBaseUrl: "http://x/v1.0", messageSizeLimit: MAX_ATTACHMENT_SIZE },
      attach: engine.attach,
      verifyRecheckMs: 1,
      progressIntervalMs: 30,
      now: () => clock,
    });
    store.setTarget(TARGET);
    store.addFiles([file("a.bin", 10 * MiB)]);
    await flush();
    const sent = () => store.getState().queue.files[0].progress.bytesSent;
    const report = (bytesSent: number) =>
      engine.calls[0].options.onProgress?.({
        bytesSent,
        bytesAcknowledged: 0,
        bytesTotal: 10 * MiB,
      });
    let renders = 0;
    store.subscribe(() => renders++);
    clock += 100;
    report(1 * MiB); // first after a quiet spell: at once
    expect(sent()).toBe(1 * MiB);
    report(2 * MiB);
    report(3 * MiB);
    expect(sent()).toBe(1 * MiB);
    expect(renders).toBe(1);
    clock += 30;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent()).toBe(3 * MiB);
    expect(renders).toBe(2);
    report(4 * MiB);
    engine.calls[0].succeed();
    await flush();
    // The clock has not moved: a phase change is not held back behind the pending progress.
    expect(["verifying", "attached"]).toContain(store.getState().queue.files[0].phase);
  });
});

describe("pane store: the tenant limit learned tightly", () => {
  it("learns from a refusal part-way through the ranges: item bytes + accepted + the refused range", async () => {
    const { store, engine } = setup();
    store.addFiles([file("first.bin", 4 * MiB)]);
    engine.calls[0].succeed();
    await flush();
    store.addFiles([file("twenty.bin", 20 * MiB)]);
    const call = engine.calls[1];
    call.options.onPhase?.("uploading");
    call.options.onProgress?.({
      bytesSent: 3 * 3_932_160,
      bytesAcknowledged: 3 * 3_932_160,
      bytesTotal: 20 * MiB,
    });
    call.fail(new MessageSizeExceededError({ status: 413, code: "ErrorMessageSizeExceeded" }));
    await flush();
    expect(store.getState().messageSizeLimit).toBe(4 * MiB + 4 * 3_932_160 - 1);
    // 15 MiB was let through when only "below 24 MiB" was learned; now it is refused on pick.
    store.addFiles([file("fifteen.bin", 15 * MiB)]);
    expect(engine.calls).toHaveLength(2);
    expect(store.getState().notices).toEqual([
      expect.objectContaining({ kind: "over-limit", name: "fifteen.bin", learned: true }),
    ]);
  });
});

describe("pane store: one retry rule", () => {
  it("Retry all re-runs only what retrying can fix", async () => {
    const { store, engine } = setup();
    store.addFiles([file("net.bin", 5 * MiB), file("size.bin", 6 * MiB)]);
    engine.calls[0].fail(new NetworkError("down"));
    engine.calls[1].fail(new MessageSizeExceededError({ status: 413 }));
    await flush();
    store.retryAll();
    await flush();
    expect(engine.calls.map((c) => c.file.name)).toEqual(["net.bin", "size.bin", "net.bin"]);
    const size = store.getState().queue.files[1];
    store.retry(size.id);
    expect(engine.calls).toHaveLength(3);
  });

  it("clears notices with the list", async () => {
    const { store, engine } = setup();
    store.addFiles([file("a.pdf", 5 * MiB)]);
    store.addFiles([file("a.pdf", 5 * MiB)]);
    store.addFiles([file("a.pdf", 5 * MiB)]);
    expect(store.getState().notices).toHaveLength(1); // repeats do not pile up
    engine.calls[0].succeed();
    await flush();
    store.clearFinished();
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().queue.files).toEqual([]);
  });
});

describe("pane store: engine options", () => {
  it("arms the item wait whatever saved the draft, and allows the configured upload origins", () => {
    const engine = fakeEngine();
    const { host } = fakeHost();
    const store = createPaneStore({
      host,
      getToken: async () => "token",
      config: {
        graphBaseUrl: "http://127.0.0.1:1/v1.0",
        messageSizeLimit: MAX_ATTACHMENT_SIZE,
        uploadOrigins: ["http://127.0.0.1:4001"],
      },
      storage: memoryStorage(),
      attach: engine.attach,
    });
    store.setTarget({ ...TARGET, justSaved: false });
    store.addFiles([file("a.bin", 4 * MiB)]);
    const options = engine.calls[0].options;
    expect(options.itemWaitMs).toBe(120_000);
    expect(options.allowedUploadOrigins).toEqual(
      expect.arrayContaining(["https://outlook.office.com", "http://127.0.0.1:4001"])
    );
  });
});
