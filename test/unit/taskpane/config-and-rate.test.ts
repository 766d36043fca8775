import { DEFAULT_RUNTIME_CONFIG, readRuntimeConfig } from "../../../src/taskpane/config";
import { createRateMeter } from "../../../src/taskpane/store/rate";

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

describe("rate meter", () => {
  it("smooths speed and gives an ETA from it", () => {
    const meter = createRateMeter(1000, 100);
    expect(meter.sample(0, 10_000, 0)).toBeUndefined();
    const first = meter.sample(1000, 10_000, 1000)!; // 1000 B/s
    expect(first.bytesPerSecond).toBeCloseTo(1000);
    expect(first.etaSeconds).toBeCloseTo(9);
    const second = meter.sample(4000, 10_000, 2000)!; // instant 3000 B/s, half-life 1 s → halfway
    expect(second.bytesPerSecond).toBeCloseTo(2000);
    expect(second.etaSeconds).toBeCloseTo(3);
  });

  it("shows no speed until the first bytes are acknowledged, then measures them over the whole wait", () => {
    const meter = createRateMeter(1000, 250);
    expect(meter.sample(0, 8000, 0)).toBeUndefined();
    expect(meter.sample(0, 8000, 500)).toBeUndefined(); // a range in flight: no "0 B/s"
    expect(meter.sample(0, 8000, 1500)).toBeUndefined();
    const first = meter.sample(4000, 8000, 2000)!; // 4000 B acknowledged after 2 s
    expect(first.bytesPerSecond).toBeCloseTo(2000);
    expect(first.etaSeconds).toBeCloseTo(2);
    // Between acknowledgements the speed decays but stays positive.
    const between = meter.sample(4000, 8000, 2500)!;
    expect(between.bytesPerSecond).toBeGreaterThan(0);
    expect(between.bytesPerSecond).toBeLessThan(2000);
  });

  it("ignores samples closer together than the minimum interval", () => {
    const meter = createRateMeter(1000, 250);
    meter.sample(0, 100, 0);
    expect(meter.sample(50, 100, 10)).toBeUndefined();
  });
});
