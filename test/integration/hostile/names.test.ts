// Odd and hostile file names through both routes (the single POST and an upload session): each is
// attached under exactly its own name with exactly its bytes. Names are data, never markup or paths.
import { attachFile, RestrictionError } from "../../../src/upload";
import {
  useEmulatorFixture,
  memoryFile,
  MiB,
  patternBytes,
  QUICK,
  readBack,
  sha256,
} from "./fixture";

const fx = useEmulatorFixture();

const NAMES: Array<[string, string]> = [
  ["Unicode", "Überprüfung – 報告書 – Ñandú.pdf"],
  ["emoji (astral plane)", "📎 quarterly 🚀 results 👩🏽‍💻.xlsx"],
  ["RTL text", "تقرير الربع الأول.docx"],
  ["an RTL override (extension spoofing)", "invoice\u202Efdp.exe"],
  ["quotes and apostrophes", `He said "ship it" and it's done'.txt`],
  ["forward and back slashes", "reports/2026\\Q1/../summary.txt"],
  ["control characters", "tab\there\nnewline\r\u0007bell\u0000nul.txt"],
  ["HTML", `<img src=x onerror="alert(1)">.txt`],
  ["300 characters", `${"long-name-".repeat(30)}.bin`.slice(0, 300)],
  ["percent signs, an escaped NUL and U+FFFD", "100% done %2F %00 \uFFFD.txt"],
];

const ROUTES: Array<["post" | "session", number]> = [
  ["post", 40 * 1024],
  ["session", 3 * MiB + 12_345],
];

describe.each(ROUTES)("through the %s route", (route, size) => {
  test.each(NAMES)("%s: attached under exactly that name, bytes intact", async (_label, name) => {
    const target = fx.newTarget();
    const bytes = patternBytes(size, name.length);
    const result = await attachFile(memoryFile(name, bytes), target, fx.getToken, QUICK);
    expect(result.route).toBe(route);
    const stored = await readBack(target, fx.token);
    expect(stored).toEqual([{ id: result.attachmentId, name, sha256: sha256(bytes) }]);
    expect(fx.emulator.openSessions()).toEqual([]);
  });
});

test.each([
  ["empty", ""],
  ["only spaces", "   "],
])(
  "an %s name is refused before any network call (RestrictionError empty-name)",
  async (_label, name) => {
    const target = fx.newTarget();
    const error = await attachFile(
      memoryFile(name, patternBytes(10)),
      target,
      fx.getToken,
      QUICK
    ).catch((e) => e);
    expect(error).toBeInstanceOf(RestrictionError);
    expect(error.reason).toBe("empty-name");
    expect(await readBack(target, fx.token)).toEqual([]);
  }
);
