/**
 * insertLinkIntoBody against an office-addin-mock Outlook (issue #12): getTypeAsync decides HTML or text, the
 * link goes in with setSelectedDataAsync (name and URL escaped), a selection in the body is not replaced
 * (prependAsync), a body that turned plain text takes the text form, a failed cursor insert falls back to the
 * top, and every refusal is a typed LinkInsertError.
 */
import {
  formatFileSize,
  insertLinkIntoBody,
  LinkInsertError,
  OutlookError,
} from "../../../src/office";
import { outlookMock } from "./helpers/outlook-mock";

type Reply = { status: "succeeded" | "failed"; value?: unknown; error?: unknown };
const okReply = (value?: unknown): Reply => ({ status: "succeeded", value });
const failReply = (code: number, name: string): Reply => ({
  status: "failed",
  error: { code, name, message: name },
});

/** A body whose write methods record (data, options) and answer from a queue of replies. */
function body(type: string | Reply, writes: { set?: Reply[]; prepend?: Reply[] } = {}) {
  const calls: Array<{ method: string; data: string; options: { coercionType?: string } }> = [];
  const method =
    (name: string, replies: Reply[] = [okReply()]) =>
    (data: string, options: { coercionType?: string }, cb: (r: Reply) => void) => {
      const reply =
        replies[Math.min(calls.filter((c) => c.method === name).length, replies.length - 1)];
      calls.push({ method: name, data, options });
      cb(reply);
    };
  return {
    calls,
    api: {
      getTypeAsync: (cb: (r: Reply) => void) => cb(typeof type === "string" ? okReply(type) : type),
      setSelectedDataAsync: method("setSelectedDataAsync", writes.set),
      prependAsync: method("prependAsync", writes.prepend),
    },
  };
}

function officeWith(
  bodyApi: Record<string, unknown> | undefined,
  extra: Record<string, unknown> = {}
) {
  return outlookMock({
    item: { itemType: "message", ...(bodyApi ? { body: bodyApi } : {}), ...extra },
  });
}

const MiB = 1024 * 1024;
const LINK = {
  name: `Q1 <report> & "notes".pdf`,
  size: 40 * MiB,
  url: "https://contoso-my.sharepoint.com/:b:/g/personal/adele/EaBc?e=x1&share=1",
};

describe("an HTML body", () => {
  test("setSelectedDataAsync with coercionType html: the name linked and escaped, the size beside it", async () => {
    const b = body("html");
    await expect(insertLinkIntoBody(officeWith(b.api), LINK)).resolves.toEqual({
      coercion: "html",
      placement: "cursor",
    });
    expect(b.calls).toHaveLength(1);
    expect(b.calls[0].method).toBe("setSelectedDataAsync");
    expect(b.calls[0].options.coercionType).toBe("html");
    expect(b.calls[0].data).toBe(
      '<a href="https://contoso-my.sharepoint.com/:b:/g/personal/adele/EaBc?e=x1&amp;share=1">' +
        "Q1 &lt;report&gt; &amp; &quot;notes&quot;.pdf</a> (40.0 MB)<br>"
    );
  });

  test("a file name that is markup stays text: no element or attribute can come from it", async () => {
    const b = body("html");
    const name = `"><img src=x onerror=alert(1)><script>alert(2)</script>.zip`;
    await insertLinkIntoBody(officeWith(b.api), { ...LINK, name });
    const html = b.calls[0].data;
    expect(html).not.toMatch(/<img|<script/i);
    expect(html.match(/</g)).toHaveLength(3); // <a …>, </a>, <br>
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  test("a quote in the URL cannot end the href attribute", async () => {
    const b = body("html");
    await insertLinkIntoBody(officeWith(b.api), {
      ...LINK,
      url: `https://contoso.test/s?x=" onmouseover="alert(1)`,
    });
    const href = /^<a href="([^"]*)">/.exec(b.calls[0].data)?.[1];
    expect(href).toBe("https://contoso.test/s?x=%22%20onmouseover=%22alert(1)");
  });

  test("text selected in the body is not replaced: the link is prepended instead", async () => {
    const b = body("html");
    const getSelectedDataAsync = (_coercion: string, cb: (r: Reply) => void) =>
      cb(okReply({ data: "the words the user selected", sourceProperty: "body" }));
    await expect(
      insertLinkIntoBody(officeWith(b.api, { getSelectedDataAsync }), LINK)
    ).resolves.toEqual({ coercion: "html", placement: "top" });
    expect(b.calls.map((c) => c.method)).toEqual(["prependAsync"]);
    expect(b.calls[0].options.coercionType).toBe("html");
  });

  test("a selection in the subject does not stop the cursor insert (the body is not replaced)", async () => {
    const b = body("html");
    const getSelectedDataAsync = (_coercion: string, cb: (r: Reply) => void) =>
      cb(okReply({ data: "Quarterly", sourceProperty: "subject" }));
    await insertLinkIntoBody(officeWith(b.api, { getSelectedDataAsync }), LINK);
    expect(b.calls.map((c) => c.method)).toEqual(["setSelectedDataAsync"]);
  });

  test("the body turned plain text after getTypeAsync (InvalidFormatError): inserted again as text", async () => {
    const b = body("html", { set: [failReply(2006, "InvalidFormatError"), okReply()] });
    await expect(insertLinkIntoBody(officeWith(b.api), LINK)).resolves.toEqual({
      coercion: "text",
      placement: "cursor",
    });
    expect(b.calls.map((c) => [c.method, c.options.coercionType])).toEqual([
      ["setSelectedDataAsync", "html"],
      ["setSelectedDataAsync", "text"],
    ]);
    expect(b.calls[1].data).not.toMatch(/<a |<br>|&lt;/);
  });

  test("the cursor insert fails (the user moved the cursor meanwhile): the link goes to the top", async () => {
    const b = body("html", { set: [failReply(9014, "CursorPositionChanged")] });
    await expect(insertLinkIntoBody(officeWith(b.api), LINK)).resolves.toEqual({
      coercion: "html",
      placement: "top",
    });
    expect(b.calls.map((c) => c.method)).toEqual(["setSelectedDataAsync", "prependAsync"]);
  });
});

describe("a plain-text body", () => {
  test("setSelectedDataAsync with coercionType text: name, size and address as plain text", async () => {
    const b = body("text");
    await expect(
      insertLinkIntoBody(officeWith(b.api), { ...LINK, size: 1.5 * 1024 * MiB })
    ).resolves.toEqual({ coercion: "text", placement: "cursor" });
    expect(b.calls[0].options.coercionType).toBe("text");
    expect(b.calls[0].data).toBe(
      `Q1 <report> & "notes".pdf (1.5 GB): https://contoso-my.sharepoint.com/:b:/g/personal/adele/EaBc?e=x1&share=1\n`
    );
  });

  test("a line break in a file name cannot start a line of its own", async () => {
    const b = body("text");
    await insertLinkIntoBody(officeWith(b.api), { ...LINK, name: "a\nFrom: boss\r.txt" });
    expect(b.calls[0].data.split("\n")).toHaveLength(2); // the one line, then the final break
    expect(b.calls[0].data).toMatch(/^a From: boss \.txt \(/);
  });

  test("getTypeAsync failing (Outlook mobile message compose) → text, which any body takes", async () => {
    const b = body(failReply(5000, "Operation not supported"));
    await expect(insertLinkIntoBody(officeWith(b.api), LINK)).resolves.toMatchObject({
      coercion: "text",
    });
    expect(b.calls[0].options.coercionType).toBe("text");
  });
});

describe("refusals are typed LinkInsertErrors, and nothing half-done", () => {
  test("both the cursor insert and the prepend fail: office reason, Office's code kept, advice to copy", async () => {
    const b = body("html", {
      set: [failReply(9020, "GenericResponseError")],
      prepend: [failReply(9020, "GenericResponseError")],
    });
    const error = await insertLinkIntoBody(officeWith(b.api), LINK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkInsertError);
    expect(error).toBeInstanceOf(OutlookError);
    expect(error).toMatchObject({
      code: "link-not-inserted",
      reason: "office",
      officeCode: 9020,
      officeName: "GenericResponseError",
    });
    expect((error as Error).message).toContain("Copy the link");
  });

  test("no body API (read mode, or a client without it): unsupported, nothing called", async () => {
    const error = await insertLinkIntoBody(officeWith(undefined), LINK).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "link-not-inserted", reason: "unsupported" });
  });

  test.each(["javascript:alert(1)", "data:text/html,<b>x</b>", "not a url"])(
    "a link address that is not http(s) (%s) is refused before Office is called",
    async (url) => {
      const b = body("html");
      const error = await insertLinkIntoBody(officeWith(b.api), { ...LINK, url }).catch(
        (e: unknown) => e
      );
      expect(error).toMatchObject({ reason: "unsafe-url" });
      expect(b.calls).toEqual([]);
    }
  );
});

test("file sizes as recipients read them", () => {
  expect(formatFileSize(0)).toBe("0 bytes");
  expect(formatFileSize(1023)).toBe("1023 bytes");
  expect(formatFileSize(1536)).toBe("1.5 KB");
  expect(formatFileSize(40 * MiB)).toBe("40.0 MB");
  expect(formatFileSize(1024 * MiB)).toBe("1.0 GB");
});
