/**
 * The Send guard's decision (src/commands/send-guard.ts) against the real Graph emulator over HTTP: allow when
 * every recorded file is on the server item, block naming the file when the form's save dropped it, and a
 * bounded answer when Graph does not answer in time.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDevTokenProvider } from "../../../dev/naa-bridge";
import { startEmulator, type RunningEmulator } from "../../../dev/graph-emulator";
import { decideSend } from "../../../src/commands/send-guard";
import { ATTACHED_RECORD_KEY, type AttachedRecord } from "../../../src/office";
import { outlookMock } from "../office/helpers/outlook-mock";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator?.close());

function officeWith(record: AttachedRecord | null, mailbox = "1.14") {
  const data: Record<string, string> = record
    ? { [ATTACHED_RECORD_KEY]: JSON.stringify(record) }
    : {};
  const item = {
    sessionData: {
      getAsync: (key: string, cb: (r: unknown) => void) =>
        key in data
          ? cb({ status: "succeeded", value: data[key] })
          : cb({ status: "failed", error: { code: 9057, name: "KeyNotFound" } }),
      setAsync: () => {},
    },
  };
  return outlookMock({ item, sets: { Mailbox: mailbox } });
}

async function draftWith(names: { name: string; bytes: number }[]) {
  const { id } = emulator.createItem({ kind: "message", properties: { subject: "Guard" } });
  const token = await createDevTokenProvider({
    tokenUrl: `${emulator.url}/_emulator/token`,
    user: "adele@contoso.test",
  })();
  const ids: string[] = [];
  for (const { name, bytes } of names) {
    const response = await fetch(`${emulator.graphUrl}/me/messages/${id}/attachments`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        "@odata.type": "#microsoft.graph.fileAttachment",
        name,
        contentBytes: Buffer.alloc(bytes, 7).toString("base64"),
      }),
    });
    ids.push(((await response.json()) as { id: string }).id);
  }
  return { id, ids, token };
}

const options = (office: typeof Office, graphBaseUrl: string, timeoutMs = 10_000) => ({
  office,
  graphBaseUrl,
  tokenFor: () =>
    createDevTokenProvider({
      tokenUrl: `${emulator.url}/_emulator/token`,
      user: "adele@contoso.test",
    }),
  fetch,
  timeoutMs,
  paneCommandId: "LargeAttach.MessageCompose.OpenPane",
});

test("nothing recorded: the send goes", async () => {
  expect(await decideSend(options(officeWith(null), emulator.graphUrl))).toEqual({
    allowEvent: true,
  });
});

test("every recorded file still on the server item (by id, or by name with its size): allowed", async () => {
  const { id, ids } = await draftWith([
    { name: "a.bin", bytes: 100 },
    { name: "b.bin", bytes: 50 },
  ]);
  const record: AttachedRecord = {
    version: 1,
    target: { kind: "message", restId: id, mailbox: "me", isShared: false },
    files: [
      { attachmentId: ids[0], name: "a.bin", size: 100 },
      { name: "b.bin", size: 50 }, // Location was unreadable: name and size identify it
    ],
  };
  expect(await decideSend(options(officeWith(record), emulator.graphUrl))).toEqual({
    allowEvent: true,
  });
});

test("a file the form's save dropped: blocked, the file named, Attach again opens the pane", async () => {
  const { id, ids } = await draftWith([{ name: "kept.bin", bytes: 10 }]);
  const record: AttachedRecord = {
    version: 1,
    target: { kind: "message", restId: id, mailbox: "me", isShared: false },
    files: [
      { attachmentId: ids[0], name: "kept.bin", size: 10 },
      { attachmentId: "gone-id", name: "Quarterly report.pdf", size: 4_000_000 },
    ],
  };
  const decision = await decideSend(options(officeWith(record), emulator.graphUrl));
  expect(decision.allowEvent).toBe(false);
  expect(decision.errorMessage).toContain("“Quarterly report.pdf”");
  expect(decision.errorMessage).not.toContain("kept.bin");
  expect(decision).toMatchObject({
    cancelLabel: "Attach again",
    commandId: "LargeAttach.MessageCompose.OpenPane",
  });
  expect(decision.errorMessage).toContain("Select Attach again");
});

test("below Mailbox 1.14 (no commandId): blocked with the file named, the message alone says what to do", async () => {
  const { id } = await draftWith([]);
  const record: AttachedRecord = {
    version: 1,
    target: { kind: "message", restId: id, mailbox: "me", isShared: false },
    files: [{ attachmentId: "gone-id", name: "Quarterly report.pdf", size: 4_000_000 }],
  };
  const decision = await decideSend(options(officeWith(record, "1.13"), emulator.graphUrl));
  expect(Object.keys(decision).sort()).toEqual(["allowEvent", "errorMessage"]);
  expect(decision.allowEvent).toBe(false);
  expect(decision.errorMessage).toContain("“Quarterly report.pdf”");
  expect(decision.errorMessage).toContain("attach it again with Large Attach");
  expect(decision.errorMessage).not.toContain("Select Attach again");
});

test("no pane button id (an unbuilt runtime) on 1.14: the message alone, no commandId", async () => {
  const { id } = await draftWith([]);
  const record: AttachedRecord = {
    version: 1,
    target: { kind: "message", restId: id, mailbox: "me", isShared: false },
    files: [{ attachmentId: "gone-id", name: "deck.pptx", size: 5 }],
  };
  const decision = await decideSend({
    ...options(officeWith(record), emulator.graphUrl),
    paneCommandId: undefined,
  });
  expect(decision).toEqual({
    allowEvent: false,
    errorMessage: expect.stringContaining("“deck.pptx”"),
  });
});

describe("Graph never answers (the socket stays open)", () => {
  let silent: Server;
  let url: string;
  beforeAll(async () => {
    silent = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1.0`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });
  const record: AttachedRecord = {
    version: 1,
    target: { kind: "message", restId: "m1", mailbox: "me", isShared: false },
    files: [{ name: "deck.pptx", size: 5 }],
  };

  test("Mailbox 1.14: the check ends at its bound and the user decides (prompt user), file named", async () => {
    const decision = await decideSend(options(officeWith(record), url, 300));
    expect(decision).toMatchObject({ allowEvent: false, sendModeOverride: "promptUser" });
    expect(decision.errorMessage).toContain("“deck.pptx”");
  });

  test("below Mailbox 1.14 (no send mode override): the send is allowed rather than held", async () => {
    expect(await decideSend(options(officeWith(record, "1.12"), url, 300))).toEqual({
      allowEvent: true,
    });
  });
});
