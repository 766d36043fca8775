/**
 * "Draft not on the server yet": Outlook saved the draft (classic Outlook in cached mode syncs it later), so
 * Graph answers 404 ErrorItemNotFound for a while. The adapter reports `justSaved`; the engine, given
 * `itemWaitMs` for such targets (docs/CONTRACTS.md), waits in the "waiting-for-item" phase and then attaches,
 * or gives up with ItemNotFoundError. Real emulator over HTTP (invisible-for-N-seconds switch), real engine.
 */
import { createDevTokenProvider } from "../../../dev/naa-bridge";
import { startEmulator, type RunningEmulator } from "../../../dev/graph-emulator";
import { createOutlookHost } from "../../../src/office";
import { attachFile, ItemNotFoundError, type UploadPhase } from "../../../src/upload";
import { fail, ok, outlookMock, sequence } from "./helpers/outlook-mock";

// The stand-in Outlook hands out "EWS" ids that convertToRestId maps back to the emulator's REST ids.
const toEws = (restId: string) => `ews:${restId}`;
const fromEws = (ewsId: string) => ewsId.replace(/^ews:/, "");

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator?.close());

async function targetForUnsavedDraft(invisibleForSeconds: number) {
  const { id } = emulator.createItem({
    kind: "message",
    properties: { subject: "Cached mode" },
    invisibleForSeconds,
  });
  const item = {
    itemType: "message",
    getItemIdAsync: sequence(fail(9044, "ItemNotSaved")),
    saveAsync: sequence(ok(toEws(id))),
  };
  const office = outlookMock({
    item,
    mailbox: { convertToRestId: (ewsId: string) => fromEws(ewsId) },
  });
  const target = await createOutlookHost(office, { sleep: async () => {} }).getComposeTarget();
  return { id, target };
}

const getToken = () => createDevTokenProvider({ tokenUrl: `${emulator.url}/_emulator/token` });

test("a just-saved draft invisible to Graph for a moment: the engine waits, reports it, then attaches", async () => {
  const { id, target } = await targetForUnsavedDraft(1);
  expect(target).toMatchObject({ restId: id, justSaved: true, mailbox: "me" });
  const phases: UploadPhase[] = [];
  const file = new File(["cached mode draft\n".repeat(10)], "sync.txt", { type: "text/plain" });
  const result = await attachFile(
    file,
    {
      graphBaseUrl: emulator.graphUrl,
      mailbox: target.mailbox,
      itemKind: target.kind,
      itemId: target.restId,
    },
    getToken(),
    {
      itemWaitMs: target.justSaved ? 30_000 : 0,
      retryDelays: [200, 400, 800],
      onPhase: (phase) => void phases.push(phase),
    }
  );
  expect(phases).toContain("waiting-for-item");
  expect(phases[phases.length - 1]).not.toBe("waiting-for-item");
  const stored = emulator.attachments().filter((a) => a.itemId === id);
  expect(stored.map((a) => a.id)).toEqual([result.attachmentId]);
});

test("a draft that stays invisible past itemWaitMs ends in ItemNotFoundError, nothing attached", async () => {
  const { id, target } = await targetForUnsavedDraft(600);
  const phases: UploadPhase[] = [];
  const file = new File(["never synced\n"], "late.txt", { type: "text/plain" });
  const error = await attachFile(
    file,
    {
      graphBaseUrl: emulator.graphUrl,
      mailbox: target.mailbox,
      itemKind: target.kind,
      itemId: target.restId,
    },
    getToken(),
    { itemWaitMs: 500, retryDelays: [100, 200], onPhase: (phase) => void phases.push(phase) }
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ItemNotFoundError);
  expect(phases).toContain("waiting-for-item");
  expect(emulator.attachments().filter((a) => a.itemId === id)).toEqual([]);
});
