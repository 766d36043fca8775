import {
  asyncResultToPromise,
  createOutlookHost,
  OfficeCallError,
  relativeLuminance,
} from "../../../src/office";
import { fail, ok, outlookMock, sequence, toRest } from "./helpers/outlook-mock";

const composeItem = (attachments: unknown[] | null) => ({
  itemType: "message",
  saveAsync: sequence(ok("AAMkAD/x")),
  ...(attachments ? { getAttachmentsAsync: ok(attachments) } : {}),
});

describe("verifyAttachmentVisible", () => {
  const file = (id: string, name: string, size = 1000) => ({
    id,
    name,
    size,
    attachmentType: "file",
    isInline: false,
  });

  test("matches the Graph id against the compose form's EWS id converted to REST", async () => {
    const host = createOutlookHost(
      outlookMock({ item: composeItem([file("AAMkAtt/1", "report.pdf")]) })
    );
    await expect(
      host.verifyAttachmentVisible({ attachmentId: toRest("AAMkAtt/1"), name: "other-name.pdf" })
    ).resolves.toBe("visible");
  });

  test("falls back to name and size when ids cannot be compared", async () => {
    const host = createOutlookHost(
      outlookMock({ item: composeItem([file("local-0", "big.zip", 5_000_000)]) })
    );
    await expect(
      host.verifyAttachmentVisible({
        attachmentId: "rest:unrelated",
        name: "big.zip",
        size: 5_000_000,
      })
    ).resolves.toBe("visible");
    await expect(host.verifyAttachmentVisible({ name: "big.zip", size: 6_000_000 })).resolves.toBe(
      "not-yet-visible"
    );
  });

  test("reports not-yet-visible while the form does not list the attachment", async () => {
    const host = createOutlookHost(
      outlookMock({ item: composeItem([file("AAMkAtt/1", "a.txt")]) })
    );
    await expect(
      host.verifyAttachmentVisible({ attachmentId: "rest:AAMkAtt-2", name: "b.txt" })
    ).resolves.toBe("not-yet-visible");
  });

  test("reports unsupported without getAttachmentsAsync, below Mailbox 1.8, or when the call fails", async () => {
    await expect(
      createOutlookHost(outlookMock({ item: composeItem(null) })).verifyAttachmentVisible({
        name: "a",
      })
    ).resolves.toBe("unsupported");
    const old = outlookMock({ item: composeItem([file("x", "a")]), sets: { Mailbox: "1.7" } });
    await expect(createOutlookHost(old).verifyAttachmentVisible({ name: "a" })).resolves.toBe(
      "unsupported"
    );
    const failing = outlookMock({
      item: { ...composeItem(null), getAttachmentsAsync: fail(9000, "InternalError") },
    });
    await expect(createOutlookHost(failing).verifyAttachmentVisible({ name: "a" })).resolves.toBe(
      "unsupported"
    );
  });
});

describe("theme and locale", () => {
  test("dark when the body background is dark, light otherwise or when unknown", () => {
    const dark = createOutlookHost(
      outlookMock({ item: composeItem([]), officeTheme: { bodyBackgroundColor: "#1f1f1f" } })
    );
    const light = createOutlookHost(
      outlookMock({ item: composeItem([]), officeTheme: { bodyBackgroundColor: "#ffffff" } })
    );
    const unknown = createOutlookHost(outlookMock({ item: composeItem([]) }));
    expect(dark.theme()).toBe("dark");
    expect(light.theme()).toBe("light");
    expect(unknown.theme()).toBe("light");
    expect(relativeLuminance("#000")).toBe(0);
    expect(relativeLuminance("not a colour")).toBeNull();
  });

  test("locale is Office's display language", () => {
    expect(
      createOutlookHost(outlookMock({ item: composeItem([]), displayLanguage: "zh-CN" })).locale()
    ).toBe("zh-CN");
  });
});

describe("onItemChanged", () => {
  test("registers one ItemChanged handler, fans out, and removes it with the last listener", () => {
    let registered: (() => void) | undefined;
    const removed: string[] = [];
    const office = outlookMock({
      item: composeItem([]),
      mailbox: {
        addHandlerAsync: (type: string, handler: () => void, cb: (r: unknown) => void) => {
          expect(type).toBe("olkItemSelectedChanged");
          registered = handler;
          cb({ status: "succeeded" });
        },
        removeHandlerAsync: (type: string) => void removed.push(type),
      },
    });
    const host = createOutlookHost(office);
    const a = jest.fn();
    const b = jest.fn();
    const offA = host.onItemChanged(a);
    const offB = host.onItemChanged(b);
    registered!();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    offA();
    registered!();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
    expect(removed).toEqual([]);
    offB();
    expect(removed).toEqual(["olkItemSelectedChanged"]);
  });
});

describe("asyncResultToPromise", () => {
  test("rejects with OfficeCallError carrying Office's code, and turns a synchronous throw into one", async () => {
    const failed = await asyncResultToPromise(
      "saveAsync",
      fail(9002, "InternalError") as never
    ).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OfficeCallError);
    expect((failed as OfficeCallError).officeCode).toBe(9002);
    const thrown = await asyncResultToPromise("x", () => {
      throw new TypeError("unsupported");
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(OfficeCallError);
  });
});
