// --retry-delays, the CLI's testing flag: the engine's retryDelays (UploadOptions) from the command
// line, so a test suite can run a fault retried to the end without the real ~30 s of backoff.
import { USAGE, UsageError, parseCommandLine } from "../../../src/cli/args";
import { DEFAULT_UPLOAD_OPTIONS } from "../../../src/upload";

const env = { T: "tok" };
const attach = (...extra: string[]) =>
  parseCommandLine(["attach", "a.bin", "--message", "m1", "--token-env", "T", ...extra], env);

test("absent: the engine's defaults hold (nothing passed)", () => {
  const parsed = attach();
  expect(parsed.kind === "attach" && parsed.config.retryDelays).toBeUndefined();
});

test("a list of whole ms, for attach and share; an empty one means no retry", () => {
  const parsed = attach("--retry-delays", "10, 20,0");
  expect(parsed.kind === "attach" && parsed.config.retryDelays).toEqual([10, 20, 0]);
  const none = attach("--retry-delays", "");
  expect(none.kind === "attach" && none.config.retryDelays).toEqual([]);
  const share = parseCommandLine(
    ["share", "a.bin", "--token-env", "T", "--retry-delays", "5,5"],
    env
  );
  expect(share.kind === "share" && share.config.retryDelays).toEqual([5, 5]);
});

test.each(["1.5", "-1", "a", "10,,20", "60001", Array(21).fill("1").join(",")])(
  "refused: %s",
  (value) => {
    expect(() => attach("--retry-delays", value)).toThrow(UsageError);
  }
);

test("--help documents it with the engine's own defaults", () => {
  expect(USAGE).toContain("--retry-delays MS[,MS...]");
  expect(USAGE).toContain(`(default ${DEFAULT_UPLOAD_OPTIONS.retryDelays.join(",")})`);
});
