import {
  REQUEST_BODY_LIMIT,
  RestrictionError,
  attachFile,
  chooseRoute,
  smallFileBodyLength,
} from "../../../src/upload";
import {
  FakeFetch,
  TOKEN,
  patternFile,
  target,
  testOptions,
  virtualFile,
} from "./helpers/fake-fetch";

describe("routing at every boundary", () => {
  test.each([
    [0, "post"],
    [1, "post"],
    [3_145_611, "post"], // the largest size whose base64 body (with a short name) fits 4 MiB
    [3_145_727, "session"], // under 3 MiB, but its body would not fit 4 MiB
    [3_145_728, "session"],
    [157_286_400, "session"],
  ])("%d bytes → %s", (size, route) => {
    expect(chooseRoute(virtualFile(size, "big.bin"))).toBe(route);
  });

  test("the POST/session switch follows the encoded body size, name included", () => {
    const fits = virtualFile(3_145_611, "big.bin");
    expect(smallFileBodyLength(fits)).toBeLessThanOrEqual(REQUEST_BODY_LIMIT);
    const longName = virtualFile(3_145_611, `${"n".repeat(200)}.bin`);
    expect(smallFileBodyLength(longName)).toBeGreaterThan(REQUEST_BODY_LIMIT);
    expect(chooseRoute(longName)).toBe("session");
  });

  test("157,286,401 bytes is refused before any network call", async () => {
    const fake = new FakeFetch();
    const getToken = jest.fn(async () => TOKEN);
    const error = await attachFile(
      virtualFile(157_286_401),
      target,
      getToken,
      testOptions(fake).options
    ).catch((e) => e);
    expect(error).toBeInstanceOf(RestrictionError);
    expect(error.reason).toBe("too-large");
    expect(fake.seen).toHaveLength(0);
    expect(getToken).not.toHaveBeenCalled();
  });

  test("a file without a name is refused", () => {
    expect(() => chooseRoute(virtualFile(10, " "))).toThrow(
      expect.objectContaining({ reason: "empty-name" })
    );
  });

  test.each([0, 3_145_611])("a %d-byte file is one POST with base64 contentBytes", async (size) => {
    const fake = new FakeFetch();
    const file = patternFile(size, "tiny.bin");
    const result = attachFile(file, target, async () => TOKEN, testOptions(fake).options);
    const req = await fake.nextRequest();
    expect(req.method).toBe("POST");
    expect(req.url).toBe("https://graph.test/v1.0/me/messages/AAMkAD=/attachments");
    expect(req.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    const text = await req.bodyText();
    expect(text.length).toBeLessThanOrEqual(REQUEST_BODY_LIMIT);
    const body = JSON.parse(text);
    expect(body).toMatchObject({
      "@odata.type": "#microsoft.graph.fileAttachment",
      name: "tiny.bin",
    });
    const expected = Buffer.from(new Uint8Array(await file.slice(0, size).arrayBuffer())).toString(
      "base64"
    );
    expect(body.contentBytes).toBe(expected);
    req.respondWith(201, { id: "SMALL-1", name: "tiny.bin", size });
    await expect(result).resolves.toMatchObject({
      attachmentId: "SMALL-1",
      route: "post",
      bytes: size,
    });
  });
});
