// `large-attach share …` and `attach --share-over-limit` on the command line: defaults from the
// engine's one defaults object, the drive range rule for --chunk-size, and the refusals.
import { UsageError, parseCommandLine } from "../../../src/cli/args";
import { DEFAULT_SHARE_OPTIONS } from "../../../src/upload";

const env = { T: "tok" };

test("share: defaults (folder Attachments, a view link for the organization)", () => {
  expect(parseCommandLine(["share", "a.bin", "b.bin", "--token-env", "T"], env)).toEqual({
    kind: "share",
    config: {
      files: ["a.bin", "b.bin"],
      mailbox: "me",
      graphBaseUrl: "https://graph.microsoft.com/v1.0",
      token: "tok",
      chunkSize: undefined,
      concurrency: undefined,
      stallTimeoutMs: undefined,
      uploadOrigins: [],
      json: false,
      share: { folder: "Attachments", link: { type: "view", scope: "organization" } },
    },
  });
  expect(DEFAULT_SHARE_OPTIONS).toMatchObject({ folder: "Attachments", link: { type: "view" } });
});

test("share: --folder (slashes trimmed), --link-type, --link-scope, --user, a drive --chunk-size", () => {
  const parsed = parseCommandLine(
    [
      "share",
      "a.bin",
      "--token-env",
      "T",
      "--folder",
      "/Shared/2026/",
      "--link-type",
      "edit",
      "--link-scope",
      "anonymous",
      "--user",
      "adele@contoso.test",
      "--chunk-size",
      String(191 * 327_680),
      "--json",
    ],
    env
  );
  expect(parsed).toMatchObject({
    kind: "share",
    config: {
      mailbox: "adele@contoso.test",
      chunkSize: 62_586_880,
      json: true,
      share: { folder: "Shared/2026", link: { type: "edit", scope: "anonymous" } },
    },
  });
});

test("attach --share-over-limit carries the share choices; without it there is none", () => {
  const base = ["attach", "a.bin", "--message", "M", "--token-env", "T"];
  expect(parseCommandLine(base, env)).toMatchObject({ kind: "attach" });
  expect((parseCommandLine(base, env) as { config: object }).config).not.toHaveProperty("share");
  expect(
    parseCommandLine([...base, "--share-over-limit", "--link-scope", "users"], env)
  ).toMatchObject({
    kind: "attach",
    config: {
      itemId: "M",
      share: { folder: "Attachments", link: { type: "view", scope: "users" } },
    },
  });
});

test.each([
  [["share", "a.bin", "--token-env", "T", "--chunk-size", "4000000"], /multiple of 327680/],
  [["share", "a.bin", "--token-env", "T", "--chunk-size", String(192 * 327_680)], /62586880/],
  [
    ["share", "a.bin", "--token-env", "T", "--link-scope", "everyone"],
    /--link-scope must be one of/,
  ],
  [["share", "a.bin", "--token-env", "T", "--link-type", "embed"], /--link-type must be one of/],
  [["share", "a.bin", "--token-env", "T", "--folder", "a/../b"], /--folder/],
  [["share", "a.bin", "--token-env", "T", "--folder", "/"], /--folder/],
  [["share", "a.bin", "--token-env", "T", "--message", "M"], /no --message/],
  [["share", "a.bin", "--token-env", "T", "--share-over-limit"], /goes with attach/],
  [["share", "--token-env", "T"], /No FILE/],
  [
    ["attach", "a.bin", "--message", "M", "--token-env", "T", "--folder", "x"],
    /--share-over-limit/,
  ],
  [["attach", "a.bin", "--message", "M", "--token-env", "T", "--chunk-size", "5000000"], /4194304/],
])("%j → UsageError %p", (argv, message) => {
  expect(() => parseCommandLine(argv, env)).toThrow(UsageError);
  expect(() => parseCommandLine(argv, env)).toThrow(message);
});
