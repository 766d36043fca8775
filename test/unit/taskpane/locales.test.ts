import { enUS } from "../../../src/taskpane/locales/en-US";
import { zhCN } from "../../../src/taskpane/locales/zh-CN";
import {
  format,
  formatBytes,
  formatBytesExact,
  formatDuration,
  pickLocale,
  pluralKey,
  loadStrings,
} from "../../../src/taskpane/locales";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("zh-CN translates every en-US key, keeping the same placeholders", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(enUS).sort());
    for (const key of Object.keys(enUS) as (keyof typeof enUS)[]) {
      expect(zhCN[key].trim()).not.toBe("");
      expect([key, placeholders(zhCN[key])]).toEqual([key, placeholders(enUS[key])]);
    }
  });

  it("never advises saving the draft (Ctrl+S): a save of the compose form can overwrite the server copy", () => {
    for (const strings of [enUS, zhCN])
      for (const [key, text] of Object.entries(strings)) {
        expect([key, /Ctrl\s*\+\s*S|Save the draft|保存草稿/i.test(text)]).toEqual([key, false]);
      }
  });

  it("after a Graph upload the row says where the file is and what the user can rely on", () => {
    expect(enUS.phaseAttachedOnServer).toBe("Attached to the draft on the server");
    expect(enUS.verifyNotYetVisible).toMatch(/Send/);
    expect(enUS.verifyNotYetVisible).toMatch(/close the draft and reopen it from Drafts/);
  });

  it.each([
    ["zh-CN", "zh-CN"],
    ["zh-cn", "zh-CN"],
    ["zh-Hans", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-TW", "en-US"],
    ["en-GB", "en-US"],
    ["", "en-US"],
    [undefined, "en-US"],
  ])("picks %s → %s from Office's display language", async (language, expected) => {
    expect(pickLocale(language)).toBe(expected);
    expect(await loadStrings(pickLocale(language))).toBe(expected === "zh-CN" ? zhCN : enUS);
  });

  it("fills placeholders as plain text, leaving unknown ones visible", () => {
    expect(
      format("“{name}” is {size}", { name: "<img src=x onerror=alert(1)>.pdf", size: "3 MB" })
    ).toBe("“<img src=x onerror=alert(1)>.pdf” is 3 MB");
    expect(format("{a} {b}", { a: 1 })).toBe("1 {b}");
  });

  it("formats sizes in binary units and durations in whole units", () => {
    // A no-break space between number and unit: "20 MB" never breaks into "20 / MB".
    expect(formatBytes(enUS, 512)).toBe("512\u00a0B");
    expect(formatBytes(enUS, 1536)).toBe("1.5\u00a0KB");
    expect(formatBytes(enUS, 157_286_400)).toBe("150\u00a0MB");
    expect(formatBytes(enUS, 10.25 * 1024 * 1024)).toBe("10.3\u00a0MB");
    expect(formatDuration(enUS, 0.2)).toBe("1\u00a0s");
    expect(formatDuration(enUS, 125)).toBe("2\u00a0min");
    expect(formatDuration(zhCN, 42)).toBe("42\u00a0秒");
    expect(formatBytesExact(enUS, 157_286_401)).toBe("157,286,401\u00a0bytes");
  });

  it('uses the locale\'s plural rules, not "file(s)"', () => {
    expect(format(enUS[pluralKey(enUS, "announceAdded_other", 1)], { count: 1 })).toBe(
      "1 file added."
    );
    expect(format(enUS[pluralKey(enUS, "announceAdded_other", 3)], { count: 3 })).toBe(
      "3 files added."
    );
    expect(format(zhCN[pluralKey(zhCN, "announceAdded_other", 1)], { count: 1 })).toBe(
      "已添加 1 个文件。"
    );
  });
});
