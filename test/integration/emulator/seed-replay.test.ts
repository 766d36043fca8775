// Replays the exchange of the seed documents (outlook-large-attachments.md) for a message and an
// event: a 3,483,322-byte file as bytes 0-2097151 then 2097152-3483321.
import {
  createItem,
  errorCode,
  putRange,
  seededBytes,
  sha256,
  startHarness,
  uploadUrlFor,
  type Harness,
} from "./helpers";

const SIZE = 3_483_322;
const bytes = seededBytes(SIZE, 3483322);
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());

describe.each([
  ["message", "messages", "Messages"],
  ["event", "events", "Events"],
] as const)("seed exchange for a %s", (_kind, collection, pascal) => {
  test("create session, two ranges, $value, $select, then DELETE of a second session", async () => {
    const itemId = await createItem(h, collection);
    const created = await fetch(
      `${h.emulator.graphUrl}/me/${collection}/${itemId}/attachments/createUploadSession`,
      {
        method: "POST",
        headers: { ...h.auth, "Content-Type": "application/json" },
        body: JSON.stringify({
          AttachmentItem: { attachmentType: "file", name: "flower", size: SIZE },
        }),
      }
    );
    expect(created.status).toBe(201);
    const session = (await created.json()) as Record<string, unknown>;
    expect(session["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession"
    );
    expect(session.nextExpectedRanges).toEqual(["0-"]);
    expect(session.expirationDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    const uploadUrl = session.uploadUrl as string;
    // Documented form, on a different origin from Graph, carrying its own authtoken.
    expect(uploadUrl).toMatch(
      new RegExp(
        `^${h.emulator.uploadOrigin}/api/v2\\.0/Users\\('[^']+@[^']+'\\)/${pascal}\\('${itemId}'\\)/AttachmentSessions\\('[^']+'\\)\\?authtoken=[\\w-]+$`
      )
    );
    expect(new URL(uploadUrl).origin).not.toBe(new URL(h.emulator.url).origin);

    const first = await putRange(uploadUrl, bytes, 0, 2_097_151);
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as Record<string, unknown>;
    expect(firstBody.NextExpectedRanges).toEqual(["2097152"]);
    expect(firstBody.ExpirationDateTime).toBe(session.expirationDateTime); // does not move
    expect(h.emulator.openSessions()).toEqual([
      expect.objectContaining({ received: 2_097_152, size: SIZE }),
    ]);

    const last = await putRange(uploadUrl, bytes, 2_097_152, 3_483_321);
    expect(last.status).toBe(201);
    expect(last.headers.get("content-length")).toBe("0");
    expect(await last.text()).toBe("");
    const location = last.headers.get("location")!;
    const match = new RegExp(
      `/api/v2\\.0/Users\\('[^']+'\\)/${pascal}\\('${itemId}'\\)/Attachments\\('([^']+)'\\)$`
    ).exec(location);
    expect(match).not.toBeNull();
    const attachmentId = match![1];
    expect(h.emulator.openSessions()).toEqual([]);

    const raw = await fetch(
      `${h.emulator.graphUrl}/me/${collection}/${itemId}/attachments/${attachmentId}/$value`,
      { headers: h.auth }
    );
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-length")).toBe(String(SIZE));
    expect(sha256(Buffer.from(await raw.arrayBuffer()))).toBe(sha256(bytes));

    // The docs read back with OData key syntax and $select.
    const meta = await fetch(
      `${h.emulator.graphUrl}/me/${pascal}('${itemId}')/Attachments('${attachmentId}')?$select=lastModifiedDateTime,name,contentType,size,isInline`,
      { headers: h.auth }
    );
    expect(meta.status).toBe(200);
    const metaJson = (await meta.json()) as Record<string, unknown>;
    expect(Object.keys(metaJson).sort()).toEqual(
      [
        "@odata.context",
        "@odata.type",
        "@odata.mediaContentType",
        "id",
        "lastModifiedDateTime",
        "name",
        "contentType",
        "size",
        "isInline",
      ].sort()
    );
    expect(metaJson).toMatchObject({
      "@odata.type": "#microsoft.graph.fileAttachment",
      id: attachmentId,
      name: "flower",
      isInline: false,
    });
    // Reported size exceeds the uploaded bytes exactly as in the docs' example (3,640,066).
    expect(metaJson.size).toBe(3_640_066);
    expect(h.emulator.attachments().find((a) => a.id === attachmentId)).toMatchObject({
      size: SIZE,
      sha256: sha256(bytes),
    });

    // Cancel: DELETE answers 204, a later PUT fails, nothing is stored.
    const second = await uploadUrlFor(h, `me/${collection}/${itemId}`, SIZE);
    expect((await putRange(second, bytes, 0, 2_097_151)).status).toBe(200);
    const del = await fetch(second, { method: "DELETE" });
    expect(del.status).toBe(204);
    const after = await putRange(second, bytes, 2_097_152, 3_483_321);
    expect(after.status).toBe(404);
    expect(errorCode(await after.json())).toBe("ErrorUploadSessionNotFound");
    expect(h.emulator.openSessions()).toEqual([]);
    expect(h.emulator.attachments().filter((a) => a.itemId === itemId)).toHaveLength(1);
  });
});
