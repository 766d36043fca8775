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
});
