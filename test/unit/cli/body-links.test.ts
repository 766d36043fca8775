// The links `attach --share-over-limit` appends to a draft's body: where they go in an HTML
// document and in a text body, escaped names, and no address that is not http(s).
import { withLinks } from "../../../src/cli/body-links";

const link = {
  name: 'Q3 <final> & "draft".mp4',
  size: 40 * 1024 * 1024,
  url: "https://contoso-my.sharepoint.test/:v:/g/x?e=1&a=b",
};

test("HTML document: the links go inside <body>, before its end, the name escaped and linked", () => {
  const content = "<html><head></head><body>\r\n<p>Hello</p>\r\n</body>\r\n</html>\r\n";
  const out = withLinks({ contentType: "html", content }, [link]);
  expect(out.contentType).toBe("html");
  expect(out.content.startsWith("<html><head></head><body>\r\n<p>Hello</p>")).toBe(true);
  expect(out.content.endsWith("</body>\r\n</html>\r\n")).toBe(true);
  const inserted = out.content.slice(
    content.indexOf("</body>"),
    out.content.lastIndexOf("</body>")
  );
  expect(inserted).toContain(
    '<a href="https://contoso-my.sharepoint.test/:v:/g/x?e=1&amp;a=b">Q3 &lt;final&gt; &amp; &quot;draft&quot;.mp4</a> (40.0 MB)'
  );
  expect(out.content).not.toContain("<final>");
});

test("an HTML fragment without </body> gets the links at its end; several links, one line each", () => {
  const other = { name: "b.zip", size: 2048, url: "https://x.test/b" };
  const out = withLinks({ contentType: "html", content: "<p>Hi</p>" }, [link, other]);
  expect(out.content.startsWith("<p>Hi</p><div>")).toBe(true);
  expect(out.content.match(/<a href=/g)).toHaveLength(2);
  expect(out.content.indexOf("b.zip")).toBeGreaterThan(out.content.indexOf("Q3"));
});

test.each([
  ["", ""],
  ["Hello", "Hello\n\n"],
  ["Hello\n", "Hello\n\n"],
])("text body %j: plain lines after a blank line, nothing escaped", (content, before) => {
  const out = withLinks({ contentType: "text", content }, [link]);
  expect(out).toEqual({
    contentType: "text",
    content: `${before}Q3 <final> & "draft".mp4 (40.0 MB): https://contoso-my.sharepoint.test/:v:/g/x?e=1&a=b\n`,
  });
});

test.each(["javascript:alert(1)", "data:text/html,x", "not a url"])(
  "a link address %j is refused (ProtocolError), nothing written",
  (url) => {
    expect(() => withLinks({ contentType: "html", content: "" }, [{ ...link, url }])).toThrow(
      expect.objectContaining({ name: "ProtocolError" })
    );
  }
);
