import { DEFAULT_RUNTIME_CONFIG, readRuntimeConfig } from "../../../src/taskpane/config";

const docWith = (text: string | null) => ({
  getElementById: (id: string) =>
    id === "large-attach-config" && text !== null ? ({ textContent: text } as HTMLElement) : null,
});

describe("runtime config", () => {
  it("reads the JSON block, trimming a trailing slash", () => {
    expect(
      readRuntimeConfig(
        docWith('{"graphBaseUrl":"http://127.0.0.1:4000/v1.0/","messageSizeLimit":36700160}')
      )
    ).toEqual({
      graphBaseUrl: "http://127.0.0.1:4000/v1.0",
      messageSizeLimit: 36_700_160,
    });
  });

  it.each([null, "", "{broken", '{"graphBaseUrl":"javascript:alert(1)","messageSizeLimit":-5}'])(
    "falls back to the defaults for %p",
    (text) => {
      expect(readRuntimeConfig(docWith(text))).toEqual(DEFAULT_RUNTIME_CONFIG);
    }
  );

  it("passes a client id through only when one is given", () => {
    expect(readRuntimeConfig(docWith('{"clientId":"abc"}')).clientId).toBe("abc");
    expect("clientId" in readRuntimeConfig(docWith("{}"))).toBe(false);
  });

  it("takes the dev-only silence bounds only as whole ms from 100 ms to 10 min", () => {
    const config = readRuntimeConfig(docWith('{"stallTimeoutMs":2000,"answerTimeoutMs":600000}'));
    expect(config).toMatchObject({ stallTimeoutMs: 2000, answerTimeoutMs: 600_000 });
    for (const bad of ['"2000"', "0", "-1", "99", "1.5", "600001", "null"]) {
      const read = readRuntimeConfig(docWith(`{"stallTimeoutMs":${bad},"answerTimeoutMs":${bad}}`));
      expect("stallTimeoutMs" in read || "answerTimeoutMs" in read).toBe(false);
    }
  });

  it("takes the dev-only watch interval the same way", () => {
    expect(readRuntimeConfig(docWith('{"watchIntervalMs":1000}'))).toMatchObject({
      watchIntervalMs: 1000,
    });
    for (const bad of ['"1000"', "0", "99", "1.5", "600001", "null"])
      expect("watchIntervalMs" in readRuntimeConfig(docWith(`{"watchIntervalMs":${bad}}`))).toBe(
        false
      );
  });
});
