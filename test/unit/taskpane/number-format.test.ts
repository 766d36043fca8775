// The pane's numbers (sizes, durations, counts) without Intl.NumberFormat for the shipped locales:
// the first one a page builds loads ICU's number data, the pane's longest main-thread task at pick
// (bench/analysis.md). The output must stay exactly Intl's.
import { enUS } from "../../../src/taskpane/locales/en-US";
import { zhCN } from "../../../src/taskpane/locales/zh-CN";
import {
  formatBytes,
  formatBytesExact,
  formatDuration,
  grouped,
} from "../../../src/taskpane/locales";

describe("number formatting", () => {
  it("writes numbers exactly as Intl.NumberFormat does for both shipped locales", () => {
    const values = [
      0,
      1e-7,
      0.04,
      0.05,
      0.1,
      0.15,
      0.95,
      0.999999,
      1,
      1.05,
      1.15,
      1.25,
      2.675,
      9.95,
      10.25,
      99.9,
      99.95,
      100,
      999,
      999.95,
      1000,
      1023.9,
      12_345.6,
      99_999.96,
      1_000_000,
      157_286_401,
      123_456_789.05,
      1e13 + 0.3,
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 2000; i++) values.push(Math.round(random() * 1e7) / 10, random() * 5000);
    for (const locale of ["en-US", "zh-CN"]) {
      const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
      for (const value of values)
        expect([locale, value, grouped(value)]).toEqual([locale, value, intl.format(value)]);
    }
  });

  it("builds no Intl.NumberFormat for sizes and durations in the shipped locales", () => {
    const spy = jest.spyOn(Intl, "NumberFormat");
    try {
      expect(formatBytes(enUS, 10.25 * 1024 * 1024)).toBe("10.3\u00a0MB");
      expect(formatBytesExact(zhCN, 157_286_401)).toContain("157,286,401");
      expect(formatDuration(enUS, 4000)).toBe("1.1\u00a0h");
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
