/**
 * The compose form's own attach API (addFileAttachmentFromBase64Async) for the files its documented limits allow,
 * and the queue's one injected strategy that uses it per file, falling back to Graph when the form refuses.
 */
import {
  createComposeFormRoute,
  FORM_FILE_MAX_BYTES,
  readAttachedRecord,
  recordAttached,
  WEB_ITEM_ATTACHMENTS_MAX_BYTES,
} from "../../../src/office";
import { UploadQueue } from "../../../src/upload/queue";
import type { AttachResult } from "../../../src/upload/types";
import { outlookMock } from "./helpers/outlook-mock";

const MB = 1024 * 1024;
const sparse = (name: string, size: number) => ({ name, size, slice: () => new Blob([]) });

function formOffice(platform: string, answer?: (base64: string, name: string) => unknown) {
  const calls: { base64: string; name: string }[] = [];
  const item = {
    itemType: "message",
    addFileAttachmentFromBase64Async(
      base64: string,
      name: string,
      _options: unknown,
      cb: (r: unknown) => void
    ) {
      calls.push({ base64, name });
      setTimeout(
        () =>
          cb(answer ? answer(base64, name) : { status: "succeeded", value: `att-${calls.length}` }),
        0
      );
    },
  };
  return { office: outlookMock({ item, platform }), calls };
}

describe("which files the compose form takes (documented limits per client)", () => {
  test("web / new Outlook: up to the Base64 limit per file and 25 MB per item", () => {
    const route = createComposeFormRoute(formOffice("OfficeOnline").office, { isShared: false });
    expect(FORM_FILE_MAX_BYTES).toBe(20_919_090);
    expect(route.plan(sparse("a", FORM_FILE_MAX_BYTES))).toBe("form");
    expect(route.plan(sparse("b", FORM_FILE_MAX_BYTES + 1))).toBe("graph");
    expect(WEB_ITEM_ATTACHMENTS_MAX_BYTES).toBe(25 * MB);
  });

  test("classic Windows and Mac: the Base64 limit (the server's limit is the pane's tenant check)", () => {
    for (const platform of ["PC", "Mac"]) {
      const route = createComposeFormRoute(formOffice(platform).office, { isShared: false });
      expect(route.plan(sparse("a", 19 * MB))).toBe("form");
      expect(route.plan(sparse("b", 21 * MB))).toBe("graph");
    }
  });

  test("mobile, or a client below Mailbox 1.8: Graph", () => {
    expect(
      createComposeFormRoute(formOffice("iOS").office, { isShared: false }).plan(sparse("a", 1))
    ).toBe("graph");
    const old = outlookMock({
      item: { addFileAttachmentFromBase64Async: () => {} },
      platform: "OfficeOnline",
      sets: { Mailbox: "1.7" },
    });
    expect(createComposeFormRoute(old, { isShared: false }).plan(sparse("a", 1))).toBe("graph");
  });

  test("web: once 25 MB went through the form on this item, the next file goes to Graph", async () => {
    const { office } = formOffice("OfficeOnline");
    const route = createComposeFormRoute(office, { isShared: false });
    await route.attach(sparse("big.bin", 20 * MB)); // the size counts; the stand-in form reads nothing
    expect(route.plan(sparse("next.bin", 6 * MB))).toBe("graph");
    expect(route.plan(sparse("small.bin", 4 * MB))).toBe("form");
  });
});

describe("attaching through the form", () => {
  const content = new TextEncoder().encode("Large Attach: the form's own copy ✓\n".repeat(40_000));
  const file = {
    name: "notes.txt",
    size: content.length,
    slice: (s?: number, e?: number) => new Blob([content.slice(s, e)]),
  };

  test("hands the whole file as Base64 (no data-URL prefix) and returns the form's attachment id", async () => {
    const { office, calls } = formOffice("OfficeOnline");
    const result = await createComposeFormRoute(office, { isShared: false }).attach(file);
    expect(result).toEqual({ attachmentId: "att-1" });
    expect(calls).toHaveLength(1);
    expect(calls[0].name).toBe("notes.txt");
    expect(Buffer.from(calls[0].base64, "base64").equals(Buffer.from(content))).toBe(true);
  });

  test.each(["AttachmentSizeExceeded", "NumberOfAttachmentsExceeded", "FileTypeNotSupported"])(
    "the form refusing with %s answers null, so the caller uses Graph",
    async (name) => {
      const { office } = formOffice("OfficeOnline", () => ({
        status: "failed",
        error: { code: 9000, name, message: name },
      }));
      await expect(
        createComposeFormRoute(office, { isShared: false }).attach(file)
      ).resolves.toBeNull();
    }
  );
});

describe("the queue's injected form strategy", () => {
  const target = {
    graphBaseUrl: "http://graph.invalid/v1.0",
    mailbox: "me",
    itemKind: "message" as const,
    itemId: "m1",
  };
  const small = { name: "a.txt", size: 10, slice: () => new Blob(["0123456789"]) };

  test('a file the form takes is attached with route "form" and no Graph call at all', async () => {
    const getToken = jest.fn(async () => "t");
    const engine = jest.fn();
    const queue = new UploadQueue({
      target,
      getToken,
      attach: engine as never,
      attachThroughForm: { plan: () => "form", attach: async () => ({ attachmentId: "form-1" }) },
    });
    const attached = new Promise<AttachResult>((resolve) =>
      queue.on("attached", ({ result }) => resolve(result))
    );
    queue.add(small);
    expect(queue.getState().files[0].route).toBe("form");
    const result = await attached;
    expect(result).toMatchObject({ route: "form", attachmentId: "form-1", bytes: 10 });
    expect(engine).not.toHaveBeenCalled();
    expect(getToken).not.toHaveBeenCalled();
  });

  test("when the form refuses, the engine attaches the file through Graph", async () => {
    const engine = jest.fn(async () => ({
      attachmentId: "graph-1",
      route: "post" as const,
      bytes: 10,
      ms: 1,
    }));
    const queue = new UploadQueue({
      target,
      getToken: async () => "t",
      attach: engine,
      attachThroughForm: { plan: () => "form", attach: async () => null },
    });
    const attached = new Promise<AttachResult>((resolve) =>
      queue.on("attached", ({ result }) => resolve(result))
    );
    queue.add(small);
    expect(await attached).toMatchObject({ route: "post", attachmentId: "graph-1" });
    expect(engine).toHaveBeenCalledTimes(1);
    expect(queue.getState().files[0].route).toBe("post");
  });
});

describe("the record the Send guard reads (SessionData)", () => {
  test("round-trips through the item's sessionData, one entry per file name", async () => {
    const store = new Map<string, string>();
    const item = {
      sessionData: {
        getAsync: (key: string, cb: (r: unknown) => void) =>
          store.has(key)
            ? cb({ status: "succeeded", value: store.get(key) })
            : cb({ status: "failed", error: { code: 9000, name: "KeyNotFound" } }),
        setAsync: (key: string, value: string, cb: (r: unknown) => void) => {
          store.set(key, value);
          cb({ status: "succeeded" });
        },
      },
    };
    const office = outlookMock({ item });
    const target = { kind: "message" as const, restId: "r1", mailbox: "me", isShared: false };
    expect(
      await recordAttached(office, target, { attachmentId: "a1", name: "x.bin", size: 5 })
    ).toBe(true);
    expect(
      await recordAttached(office, target, { attachmentId: "a2", name: "y.bin", size: 6 })
    ).toBe(true);
    expect(
      await recordAttached(office, target, { attachmentId: "a3", name: "x.bin", size: 7 })
    ).toBe(true);
    const record = await readAttachedRecord(office);
    expect(record?.target).toEqual(target);
    expect(record?.files).toEqual([
      { attachmentId: "a2", name: "y.bin", size: 6 },
      { attachmentId: "a3", name: "x.bin", size: 7 },
    ]);
  });

  test("a client without SessionData (below Mailbox 1.11) says so: false", async () => {
    const office = outlookMock({ item: { itemType: "message" } });
    expect(
      await recordAttached(
        office,
        { kind: "message", restId: "r", mailbox: "me", isShared: false },
        { name: "a", size: 1 }
      )
    ).toBe(false);
  });
});
