import { contentTypeOf } from "../../../src/cli/node-file";
import { UsageError, parseCommandLine } from "../../../src/cli/args";

const base = ["attach", "a.bin", "--message", "M1"];

describe("large-attach argument parsing", () => {
  test("defaults", () => {
    expect(parseCommandLine([...base, "--token-env", "T"], { T: "tok" })).toEqual({
      kind: "attach",
      config: {
        files: ["a.bin"],
        itemKind: "message",
        itemId: "M1",
        mailbox: "me",
        graphBaseUrl: "https://graph.microsoft.com/v1.0",
        token: "tok",
        chunkSize: undefined,
        concurrency: undefined,
        stallTimeoutMs: undefined,
        uploadOrigins: [],
        json: false,
      },
    });
  });

  test("--stall-timeout (seconds, fractions allowed) and repeatable --upload-origin", () => {
    const parsed = parseCommandLine(
      [
        ...base,
        "--token-env",
        "T",
        "--stall-timeout",
        "0.5",
        "--upload-origin",
        "http://127.0.0.1:4001",
        "--upload-origin",
        "https://upload.contoso.test/",
      ],
      { T: "tok" }
    );
    expect(parsed).toMatchObject({
      config: {
        stallTimeoutMs: 500,
        uploadOrigins: ["http://127.0.0.1:4001", "https://upload.contoso.test"],
      },
    });
    const usage = (args: string[]) => () =>
      parseCommandLine([...base, "--token-env", "T", ...args], { T: "tok" });
    expect(usage(["--stall-timeout", "0"])).toThrow(/--stall-timeout/);
    expect(usage(["--stall-timeout", "soon"])).toThrow(/--stall-timeout/);
    expect(usage(["--upload-origin", "http://evil.test"])).toThrow(/--upload-origin/);
  });

  test("every option", () => {
    const parsed = parseCommandLine(
      [
        "attach",
        "a",
        "b",
        "--event",
        "E",
        "--user",
        "x@y",
        "--graph-url",
        "http://h:1/v1.0/",
        "--token",
        "t",
        "--chunk-size",
        "655360",
        "--concurrency",
        "4",
        "--json",
      ],
      {}
    );
    expect(parsed).toMatchObject({
      config: {
        files: ["a", "b"],
        itemKind: "event",
        itemId: "E",
        mailbox: "x@y",
        graphBaseUrl: "http://h:1/v1.0",
        chunkSize: 655360,
        concurrency: 4,
        json: true,
      },
    });
  });

  test("--help", () => {
    expect(parseCommandLine(["--help"], {})).toEqual({ kind: "help" });
  });

  test.each([
    [[], /No command/],
    [["upload", "a"], /Unknown command/],
    [["attach", "--message", "M", "--token", "t"], /No FILE/],
    [["attach", "a", "--token", "t"], /exactly one of --message/],
    [["attach", "a", "--message", "M", "--event", "E", "--token", "t"], /exactly one of --message/],
    [["attach", "a", "--message", "M"], /exactly one of --token/],
    [[...base, "--token", "t", "--token-env", "T"], /exactly one of --token/],
    [[...base, "--token-env", "MISSING"], /MISSING is not set/],
    [[...base, "--token", "t", "--chunk-size", "5000000"], /--chunk-size/],
    [[...base, "--token", "t", "--concurrency", "0"], /--concurrency/],
    [[...base, "--token", "t", "--graph-url", "ftp://x"], /--graph-url/],
    [[...base, "--token", "t", "--frobnicate"], /frobnicate/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseCommandLine(argv as string[], {})).toThrow(UsageError);
    expect(() => parseCommandLine(argv as string[], {})).toThrow(message);
  });

  test("usage errors never echo the token", () => {
    for (const argv of [
      ["attach", "a", "--token", "SECRET-TOKEN-123"],
      ["attach", "a", "--message", "M", "--token", "SECRET-TOKEN-123", "--chunk-size", "x"],
      ["attach", "a", "--message", "M", "--token=SECRET-TOKEN-123", "--json=1"],
      // the token given where a variable name belongs, or where the command belongs
      ["attach", "a", "--message", "M", "--token-env", "SECRET-TOKEN-123"],
      ["attach", "a", "--message", "M", "--token-env", "eyJhbGciOi.SECRET-TOKEN-123"],
      ["SECRET-TOKEN-123", "a", "--message", "M", "--token-env", "T"],
    ]) {
      const error = (() => {
        try {
          parseCommandLine(argv, {});
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect(error!.message).not.toContain("SECRET-TOKEN-123");
    }
  });
});

describe("the CLI's content type", () => {
  test("from a MIME library: Office formats, any case, unknown → octet-stream", () => {
    expect(contentTypeOf("/tmp/report.docx")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    expect(contentTypeOf("Budget.XLSX")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    expect(contentTypeOf("mail.msg")).toBe("application/vnd.ms-outlook");
    expect(contentTypeOf("photo.heic")).toBe("image/heic");
    expect(contentTypeOf("archive.7z")).toBe("application/x-7z-compressed");
    expect(contentTypeOf("README")).toBe("application/octet-stream");
    expect(contentTypeOf("blob.unknownzz")).toBe("application/octet-stream");
  });
});
