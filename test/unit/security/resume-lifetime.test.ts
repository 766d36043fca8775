// Resume records hold live, pre-authenticated upload URLs in localStorage, where a later user of the same
// browser profile could read them. They are kept per signed-in user, swept at every pane start-up (stale,
// expired, claiming a far-future expiry, ownerless, another user's, malformed), and a row the user removes
// takes its server session and its record with it.
import { NetworkError } from "../../../src/upload/errors";
import { MAX_ATTACHMENT_SIZE } from "../../../src/upload/routing";
import type { RangeTransport, TransportRequest } from "../../../src/upload/types";
import { createPaneStore } from "../../../src/taskpane/store/pane-store";
import { storageKey } from "../../../src/taskpane/store/resume-storage";
import {
  TARGET,
  USER,
  fakeEngine,
  fakeHost,
  file,
  flush,
  memoryStorage,
  record,
} from "../taskpane/helpers";

const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

const ownKey = (itemId = TARGET.restId, user = USER) =>
  storageKey({ user, mailbox: "me", itemKind: "message", itemId });
const stored = (...records: unknown[]) => JSON.stringify(records);
const live = (name: string, itemId = TARGET.restId) =>
  record({
    file: { name, size: 40 * MiB, lastModified: 1 },
    target: { mailbox: "me", itemKind: "message", itemId },
  });

function paneWith(storage: ReturnType<typeof memoryStorage>, user: string | null = USER) {
  const engine = fakeEngine();
  const { host } = fakeHost();
  host.signedInUser = () => user ?? undefined;
  const sent: TransportRequest[] = [];
  const transport: RangeTransport = {
    send: async (request) => {
      sent.push(request);
      return { status: 204, header: () => null, body: "" };
    },
  };
  const store = createPaneStore({
    host,
    getToken: async () => "token",
    config: { graphBaseUrl: "http://127.0.0.1:1/v1.0", messageSizeLimit: MAX_ATTACHMENT_SIZE },
    storage,
    transport,
    attach: engine.attach,
    verifyRecheckMs: 1,
  });
  return { store, engine, sent };
}

describe("the start-up sweep", () => {
  test("drops stale, far-future, ownerless, other users' and malformed records and expired ones' URLs; keeps live ones of this user", async () => {
    const keep = live("keep.bin");
    const expired = { ...live("expired.bin"), expirationDateTime: ago(60_000) };
    const keepOtherItem = live("other-item.bin", "AAMkOther");
    const storage = memoryStorage({
      [ownKey()]: stored(
        keep,
        // created 25 h ago, its session still claiming 10 minutes: older than any record may live
        { ...live("stale.bin"), createdAt: ago(25 * HOUR), expirationDateTime: ahead(600_000) },
        // its session expired a minute ago
        expired,
        // the year-275760 expiry written when Graph sent none
        { ...live("far-future.bin"), expirationDateTime: "+275760-09-13T00:00:00.000Z" },
        // dated in the future (a clock or a hand that cannot be trusted)
        { ...live("from-the-future.bin"), createdAt: ahead(2 * HOUR) },
        // not a record
        { version: 1, file: { name: "no-url.bin", size: 1 } },
        { ...live("no-dates.bin"), createdAt: "yesterday" }
      ),
      [ownKey("AAMkOther")]: stored(keepOtherItem),
      [ownKey("AAMkGarbage")]: "{not json",
      // before records named their user: nobody's, so nobody may read them
      "large-attach:resume:v1:me|message|AAMkDraft1": stored(live("ownerless.bin")),
      [ownKey(TARGET.restId, "megan@contoso.test")]: stored(live("megans.bin")),
      "msal.token.keys.other-app": "not ours",
    });
    const { store } = paneWith(storage);
    await store.start();

    expect(Object.fromEntries(storage.map)).toEqual({
      // The expired one stays only as the "pick it again to start over" offer: its upload URL is gone.
      [ownKey()]: stored(keep, { ...expired, uploadUrl: "" }),
      [ownKey("AAMkOther")]: stored(keepOtherItem),
      "msal.token.keys.other-app": "not ours",
    });
    expect(store.getState().resumeOffers.map((o) => [o.name, o.expired])).toEqual([
      ["keep.bin", false],
      ["expired.bin", true],
    ]);
  });

  test("another user's records go even when they are live, whatever the case of the address", async () => {
    // Literal keys, as another user's pane (or an older build) left them.
    const storage = memoryStorage({
      "large-attach:resume:v2:megan%40contoso.test|me|message|AAMkDraft1": stored(live("a.bin")),
      "large-attach:resume:v2:Megan%40Contoso.TEST|me|message|AAMkDraft2": stored(live("b.bin")),
      [ownKey()]: stored(live("mine.bin")),
    });
    const { store } = paneWith(storage);
    await store.start();
    expect([...storage.map.keys()]).toEqual([ownKey()]);
    expect(store.getState().resumeOffers.map((o) => o.name)).toEqual(["mine.bin"]);
  });
});

describe("discarding an offer", () => {
  test("of a live session deletes the session; of one the sweep found expired sends nothing", async () => {
    const liveOne = live("live.bin");
    const storage = memoryStorage({
      [ownKey()]: stored(liveOne, { ...live("expired.bin"), expirationDateTime: ago(60_000) }),
    });
    const { store, sent } = paneWith(storage);
    await store.start();
    for (const offer of store.getState().resumeOffers) store.discardOffer(offer.fingerprint);
    await flush();
    expect(sent.map((r) => [r.method, r.url])).toEqual([["DELETE", liveOne.uploadUrl]]);
    expect(storage.map.size).toBe(0);
  });
});

describe("records are kept per signed-in user", () => {
  test("a record is written under the user's key, which names user, mailbox and item", async () => {
    const storage = memoryStorage();
    const { store, engine } = paneWith(storage);
    await store.start();
    store.addFiles([file("big.zip", 40 * MiB, 1)]);
    const rec = live("big.zip");
    engine.calls[0].options.onResumeRecord?.(rec);
    expect([...storage.map.keys()]).toEqual([ownKey()]);
    expect(ownKey()).toContain(encodeURIComponent(USER));
  });

  test("with no signed-in user known, nothing is written (a record nobody owns, anybody could read)", async () => {
    const storage = memoryStorage();
    const { store, engine } = paneWith(storage, null);
    await store.start();
    store.addFiles([file("big.zip", 40 * MiB, 1)]);
    engine.calls[0].options.onResumeRecord?.(live("big.zip"));
    expect(storage.map.size).toBe(0);
  });
});

describe("removing a row that still holds a session", () => {
  async function rowWithRecord(end: "failed" | "paused") {
    const storage = memoryStorage();
    const pane = paneWith(storage);
    await pane.store.start();
    pane.store.addFiles([file("big.zip", 40 * MiB, 1)]);
    const rec = live("big.zip");
    pane.engine.calls[0].options.onResumeRecord?.(rec);
    const id = pane.store.getState().queue.files[0].id;
    if (end === "failed") pane.engine.calls[0].fail(new NetworkError("connection reset"));
    else pane.store.pause(id);
    await flush();
    expect(pane.store.getState().queue.files[0].phase).toBe(end);
    expect(storage.map.has(ownKey())).toBe(true);
    return { ...pane, storage, rec, id };
  }

  test.each(["failed", "paused"] as const)(
    "%s: Remove deletes the server session (no Authorization) and the record",
    async (end) => {
      const { store, storage, sent, rec, id } = await rowWithRecord(end);
      store.remove(id);
      await flush();
      expect(sent.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
        ["DELETE", rec.uploadUrl, undefined],
      ]);
      expect(storage.map.size).toBe(0);
      expect(store.getState().queue.files).toEqual([]);
    }
  );

  test("a row that ended without a session (cancelled) sends nothing on Remove", async () => {
    const storage = memoryStorage();
    const { store, engine, sent } = paneWith(storage);
    await store.start();
    store.addFiles([file("big.zip", 40 * MiB, 1)]);
    engine.calls[0].options.onResumeRecord?.(live("big.zip"));
    engine.calls[0].options.onResumeRecord?.(null); // the engine deleted it on cancel
    const id = store.getState().queue.files[0].id;
    store.cancel(id);
    await flush();
    store.remove(id);
    await flush();
    expect(sent).toEqual([]);
    expect(storage.map.size).toBe(0);
  });
});
