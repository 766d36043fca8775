// The pane store's OneDrive route (issue #12): which files it offers to share and when, the setting
// that skips the question, the File it keeps so no re-pick is needed, and the preferences it saves.
// The drive uploads themselves are the engine's (test/unit/upload, test/integration/upload/drive*);
// here the drive token provider refuses, so a drive row is created and then fails at once.
import { MessageSizeExceededError, RestrictionError } from "../../../src/upload/errors";
import { MAX_ATTACHMENT_SIZE } from "../../../src/upload/routing";
import { FormRouteRefusal, type SharePreferences } from "../../../src/office";
import { createPaneStore } from "../../../src/taskpane/store/pane-store";
import { failureShareReason, pickShareReason } from "../../../src/taskpane/store/share";
import { storageKey } from "../../../src/taskpane/store/resume-storage";
import { TARGET, USER, fakeEngine, fakeHost, file, flush, memoryStorage, record } from "./helpers";

const MiB = 1024 * 1024;

function setup(
  options: {
    limit?: number;
    saved?: Partial<SharePreferences>;
    share?: boolean;
    storage?: ReturnType<typeof memoryStorage>;
    /** The compose form's route: refuses every file as a shared mailbox's form would (3 MB+, too big). */
    formRefuses?: boolean;
  } = {}
) {
  const engine = fakeEngine();
  const { host } = fakeHost();
  if (options.formRefuses) {
    host.composeFormRoute = () => ({
      plan: (f) => {
        throw new FormRouteRefusal(f.name);
      },
      attach: async () => null,
    });
  }
  const saves: Partial<SharePreferences>[] = [];
  const preloads: number[] = [];
  const store = createPaneStore({
    host,
    getToken: async () => "token",
    config: {
      graphBaseUrl: "http://127.0.0.1:1/v1.0",
      messageSizeLimit: options.limit ?? MAX_ATTACHMENT_SIZE,
    },
    storage: options.storage ?? memoryStorage(),
    attach: engine.attach,
    verifyRecheckMs: 1,
    ...(options.share === false
      ? {}
      : {
          share: {
            getToken: () => Promise.reject(new Error("no OneDrive in unit tests")),
            insertLink: async () => ({ coercion: "html" as const }),
            loadPreferences: () => ({
              whenCannotAttach: "ask",
              linkType: "view",
              ...options.saved,
            }),
            savePreferences: async (change) => void saves.push(change),
            preload: () => void preloads.push(store.getState().notices.length),
          },
        }),
  });
  store.setTarget(TARGET);
  return { store, engine, saves, preloads };
}

const sizeExceeded = () =>
  new MessageSizeExceededError({ status: 413, code: "ErrorMessageSizeExceeded" });

describe("pane store: Share as a link at pick", () => {
  it("keeps a file over 150 MB with a notice that offers Share as a link, then shares that File", () => {
    const { store, engine } = setup();
    const huge = file("huge.iso", MAX_ATTACHMENT_SIZE + 1);
    store.addFiles([huge]);
    const [notice] = store.getState().notices;
    expect(notice).toEqual(expect.objectContaining({ kind: "too-large", shareable: true }));
    expect(store.getState().queue.files).toEqual([]);

    store.shareRefused(notice.id);
    const [row] = store.getState().queue.files;
    expect(row).toEqual(expect.objectContaining({ name: "huge.iso", route: "drive" }));
    expect(store.getState().shareReasons[row.id]).toBe("too-large");
    expect(store.getState().notices).toEqual([]);
    expect(engine.calls).toHaveLength(0); // nothing went towards the item
  });

  it("offers the link for the file over the tenant limit, and a shared file does not count against the item", () => {
    const { store, engine } = setup({ limit: 10 * MiB });
    store.addFiles([file("a.pdf", 6 * MiB), file("big.mov", 8 * MiB)]);
    const notice = store.getState().notices.find((n) => n.kind === "over-limit")!;
    expect(notice.shareable).toBe(true);
    store.shareRefused(notice.id);
    expect(store.getState().shareReasons).toEqual({ "file-2": "over-limit" });
    // 6 MiB on the item; the 8 MiB in OneDrive is not counted, so 4 MiB still fits.
    store.addFiles([file("c.pdf", 4 * MiB)]);
    expect(engine.calls.map((c) => c.file.name)).toEqual(["a.pdf", "c.pdf"]);
  });

  it("a dismissed notice lets its File go: Share as a link then does nothing", () => {
    const { store } = setup();
    store.addFiles([file("huge.iso", MAX_ATTACHMENT_SIZE + 1)]);
    const [notice] = store.getState().notices;
    store.dismissNotice(notice.id);
    store.shareRefused(notice.id);
    expect(store.getState().queue.files).toEqual([]);
  });

  it("with 'always share' skips the question: the file goes straight to OneDrive", () => {
    const { store } = setup({ saved: { whenCannotAttach: "always" } });
    store.addFiles([file("huge.iso", MAX_ATTACHMENT_SIZE + 1)]);
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().queue.files).toEqual([
      expect.objectContaining({ name: "huge.iso", route: "drive" }),
    ]);
  });

  it("duplicates and nameless files are still plain notices, with nothing to share", () => {
    const { store } = setup({ saved: { whenCannotAttach: "always" } });
    store.addFiles([file("a.pdf", 5 * MiB)]);
    store.addFiles([file("a.pdf", 5 * MiB), file("", 5 * MiB)]);
    expect(store.getState().notices).toEqual([
      expect.objectContaining({ kind: "duplicate", shareable: false }),
      expect.objectContaining({ kind: "empty-name", shareable: false }),
    ]);
    expect(store.getState().queue.files).toHaveLength(1);
  });

  it("without a way to share (outside Outlook) a refusal is the notice it always was", () => {
    const { store } = setup({ share: false });
    store.addFiles([file("huge.iso", MAX_ATTACHMENT_SIZE + 1)]);
    expect(store.getState().share.available).toBe(false);
    expect(store.getState().notices).toEqual([
      expect.objectContaining({ kind: "too-large", shareable: false }),
    ]);
  });
});

describe("pane store: Share as a link instead, on a row the item refused", () => {
  it("turns the row refused part-way by ErrorMessageSizeExceeded into a drive upload of the same File", async () => {
    const { store, engine } = setup();
    store.addFiles([file("video.mp4", 40 * MiB)]);
    engine.calls[0].fail(sizeExceeded());
    await flush();
    const [failed] = store.getState().queue.files;
    expect(failureShareReason(failed)).toBe("size-exceeded");
    store.shareInstead(failed.id);
    const [row] = store.getState().queue.files;
    expect(row).toEqual(expect.objectContaining({ id: failed.id, route: "drive" }));
    expect(row.phase).not.toBe("failed");
    expect(store.getState().shareReasons[row.id]).toBe("size-exceeded");
    expect(engine.calls).toHaveLength(1); // the item was not tried again
  });

  it("with 'always share' the refused row goes to OneDrive without being asked", async () => {
    const { store, engine } = setup({ saved: { whenCannotAttach: "always" } });
    store.addFiles([file("video.mp4", 40 * MiB)]);
    engine.calls[0].fail(sizeExceeded());
    await flush();
    expect(store.getState().queue.files[0].route).toBe("drive");
    expect(store.getState().shareReasons[store.getState().queue.files[0].id]).toBe("size-exceeded");
  });

  it("with 'always share' a file refused as it is added (a shared mailbox's form route) goes to OneDrive too", async () => {
    const { store, engine } = setup({ saved: { whenCannotAttach: "always" }, formRefuses: true });
    store.addFiles([file("team-video.mp4", 24 * MiB)]);
    await flush();
    const [row] = store.getState().queue.files;
    expect(row.route).toBe("drive");
    expect(store.getState().shareReasons[row.id]).toBe("shared-mailbox");
    expect(engine.calls).toHaveLength(0); // the item was never tried
  });

  it("asked, the same refusal stays a failed row that offers the link, and is announced by name", async () => {
    const { store } = setup({ formRefuses: true });
    store.addFiles([file("team-video.mp4", 24 * MiB)]);
    await flush();
    const [row] = store.getState().queue.files;
    expect(row.phase).toBe("failed");
    expect(failureShareReason(row)).toBe("shared-mailbox");
    expect(store.getState().announcement).toEqual(
      expect.objectContaining({ key: "announceFailed", values: { name: "team-video.mp4" } })
    );
  });

  it("does nothing for a row refused for another reason (a size that cannot be read)", async () => {
    const { store, engine } = setup();
    store.addFiles([file("a.bin", 5 * MiB)]);
    engine.calls[0].fail(new RestrictionError("invalid-size", "?"));
    await flush();
    const [row] = store.getState().queue.files;
    store.shareInstead(row.id);
    expect(store.getState().queue.files[0]).toEqual(
      expect.objectContaining({ phase: "failed", route: "session" })
    );
  });
});

describe("pane store: what sharing needs is loaded while a Share as a link is on screen", () => {
  it("preloads when a pick-time notice offers the link, not for a plain notice", () => {
    const { store, preloads } = setup();
    store.addFiles([file("a.pdf", 5 * MiB)]);
    store.addFiles([file("a.pdf", 5 * MiB)]); // a duplicate: nothing to share
    expect(preloads).toEqual([]);
    store.addFiles([file("huge.iso", MAX_ATTACHMENT_SIZE + 1)]);
    expect(preloads).toHaveLength(1);
  });

  it("preloads when a row refused part-way offers Share as a link instead, not for another failure", async () => {
    const { store, engine, preloads } = setup();
    store.addFiles([file("a.bin", 5 * MiB), file("video.mp4", 40 * MiB)]);
    engine.calls[0].fail(new RestrictionError("invalid-size", "?"));
    await flush();
    expect(preloads).toEqual([]);
    engine.calls[1].fail(sizeExceeded());
    await flush();
    expect(preloads).toHaveLength(1);
  });

  it("without a way to share nothing is preloaded", () => {
    const { store, preloads } = setup({ share: false });
    store.addFiles([file("huge.iso", MAX_ATTACHMENT_SIZE + 1)]);
    expect(preloads).toEqual([]);
  });
});

describe("pane store: a share resumed after the pane reloaded", () => {
  const key = storageKey({ user: USER, mailbox: "me", itemKind: "message", itemId: TARGET.restId });
  const drive = { graphBaseUrl: "http://127.0.0.1:1/v1.0", drive: "me", folder: "Attachments" };

  it("offers a drive record as an upload to OneDrive and continues it when the same file is picked", () => {
    const picked = file("huge.iso", MAX_ATTACHMENT_SIZE + 1);
    const rec = record({
      route: "drive",
      drive,
      offset: 20 * 327_680,
      file: { name: "huge.iso", size: picked.size, lastModified: picked.lastModified },
    });
    const { store, engine } = setup({ storage: memoryStorage({ [key]: JSON.stringify([rec]) }) });
    const [offer] = store.getState().resumeOffers;
    expect(offer).toEqual(expect.objectContaining({ route: "drive", offset: rec.offset }));
    store.resumeWith(offer.fingerprint, picked);
    // Not refused as over 150 MB again: it carries on in OneDrive from the record's offset.
    expect(store.getState().notices).toEqual([]);
    const [row] = store.getState().queue.files;
    expect(row).toEqual(expect.objectContaining({ route: "drive", resumable: true }));
    expect(store.getState().progress[row.id].bytes).toBe(rec.offset);
    expect(engine.calls).toHaveLength(0);
  });

  it("a drive record for another folder is not continued: the file starts over in OneDrive", () => {
    const picked = file("huge.iso", MAX_ATTACHMENT_SIZE + 1);
    const rec = record({
      route: "drive",
      drive: { ...drive, folder: "Elsewhere" },
      file: { name: "huge.iso", size: picked.size, lastModified: picked.lastModified },
    });
    const { store } = setup({ storage: memoryStorage({ [key]: JSON.stringify([rec]) }) });
    store.resumeWith(store.getState().resumeOffers[0].fingerprint, picked);
    const [row] = store.getState().queue.files;
    expect(row).toEqual(expect.objectContaining({ route: "drive", resumable: false }));
  });
});

describe("pane store: the share preferences", () => {
  it("reads the saved choices and saves each change through src/office", () => {
    const { store, saves } = setup({ saved: { linkType: "edit" } });
    expect(store.getState().share).toEqual({ available: true, setting: "ask", linkType: "edit" });
    store.setShareSetting("always");
    store.setLinkType("view");
    expect(store.getState().share).toEqual(
      expect.objectContaining({ setting: "always", linkType: "view" })
    );
    expect(saves).toEqual([{ whenCannotAttach: "always" }, { linkType: "view" }]);
  });
});

describe("share reasons", () => {
  it("names the pick-time refusals the OneDrive route answers, and only those", () => {
    expect(pickShareReason({ kind: "too-large", name: "a", size: 1 })).toBe("too-large");
    expect(
      pickShareReason({ kind: "over-limit", name: "a", projected: 2, limit: 1, learned: false })
    ).toBe("over-limit");
    expect(pickShareReason({ kind: "duplicate", name: "a" })).toBeUndefined();
  });

  it("names a shared mailbox's refusal and not a row still running", () => {
    const error = new RestrictionError("shared-mailbox", "3 MB or more in a shared mailbox");
    expect(failureShareReason({ phase: "failed", error, route: undefined, size: 5 * MiB })).toBe(
      "shared-mailbox"
    );
    expect(
      failureShareReason({ phase: "uploading", route: "session", size: 5 * MiB })
    ).toBeUndefined();
  });
});

describe("pane store: a limit learned while files wait their turn", () => {
  const fiveVideos = () => Array.from({ length: 5 }, (_, i) => file(`v${i + 1}.mp4`, 30 * MiB));

  it("withdraws the waiting files the learned limit rules out before they send a byte, and offers them as links", async () => {
    const { store, engine } = setup();
    store.addFiles(fiveVideos()); // 150 MiB: fits the configured 150 MB; three run, two wait
    expect(engine.calls).toHaveLength(3);
    engine.calls[0].fail(sizeExceeded());
    await flush();
    const state = store.getState();
    // The item held the two running files when it refused the third: 60 MiB + 30 MiB is over.
    expect(state.messageSizeLimit).toBe(90 * MiB - 1);
    expect(engine.calls).toHaveLength(3); // v4 and v5 never started
    expect(state.queue.files.map((f) => f.name)).toEqual(["v1.mp4", "v2.mp4", "v3.mp4"]);
    const notices = state.notices.filter((n) => n.kind === "over-limit");
    expect(notices.map((n) => "name" in n && n.name)).toEqual(["v4.mp4", "v5.mp4"]);
    expect(notices.every((n) => n.shareable && "learned" in n && n.learned)).toBe(true);

    store.shareRefused(notices[0].id);
    const row = store.getState().queue.files.find((f) => f.name === "v4.mp4")!;
    expect(row.route).toBe("drive");
    expect(store.getState().shareReasons[row.id]).toBe("over-limit");
  });

  it("keeps a waiting file the learned limit still allows", async () => {
    const { store, engine } = setup();
    store.addFiles([...fiveVideos().slice(0, 4), file("small.pdf", 10 * MiB)]);
    engine.calls[0].fail(sizeExceeded());
    await flush();
    // Limit 90 MiB - 1; v4 would make 90 MiB (withdrawn), small.pdf 70 MiB (kept, and now running).
    expect(store.getState().notices.map((n) => "name" in n && n.name)).toEqual(["v4.mp4"]);
    expect(engine.calls.map((c) => c.file.name)).toEqual([
      "v1.mp4",
      "v2.mp4",
      "v3.mp4",
      "small.pdf",
    ]);
  });

  it("with always share, the withdrawn files go to OneDrive without a question", async () => {
    const { store, engine } = setup({ saved: { whenCannotAttach: "always" } });
    store.addFiles(fiveVideos());
    engine.calls[0].fail(sizeExceeded());
    await flush();
    const state = store.getState();
    expect(state.notices).toEqual([]);
    const drive = state.queue.files.filter((f) => f.route === "drive").map((f) => f.name);
    expect(drive.sort()).toEqual(["v1.mp4", "v4.mp4", "v5.mp4"]);
    expect(engine.calls).toHaveLength(3);
  });
});
