// The OneDrive link route against the real emulator over HTTP (DESIGN.md §2b): the bytes stored,
// OneDrive's range rules, no Authorization to the upload URL, the folder, names, quota and links.
import {
  DriveFullError,
  LinkRefusedError,
  ProtocolError,
  fetchStack,
  shareFile,
  type HttpStack,
  type ShareOptions,
} from "../../../src/upload";
import { driveTarget, emulatorForFile, expectDriveRangeRules, storedFile } from "./drive-helpers";
import { fastRetries, memoryFile } from "./helpers";

const MiB = 1024 * 1024;
const env = emulatorForFile();

function share(file: ReturnType<typeof memoryFile>, folder?: string, options: ShareOptions = {}) {
  return shareFile(file, driveTarget(env.emu, folder), env.getToken, {
    ...fastRetries,
    ...options,
  });
}

test("a 40 MB file is stored with its SHA-256, in 320 KiB-multiple ranges under 60 MiB, with no Authorization on the upload URL", async () => {
  const file = memoryFile(40 * 1000 * 1000, "video.mp4");
  const progress: number[] = [];
  const result = await share(file, undefined, {
    onProgress: (p) => progress.push(p.bytesAcknowledged),
  });
  expect(result).toMatchObject({ route: "drive", name: "video.mp4", bytes: file.size });
  const stored = storedFile(env.emu, "Attachments/video.mp4");
  expect(stored?.sha256).toBe(file.sha256);
  expect(stored?.id).toBe(result.driveItemId);
  expect(result.itemWebUrl).toBe(stored?.webUrl);
  // The default link: view, organization; it is the one the emulator made.
  expect(result.link).toEqual({
    webUrl: stored?.links[0].webUrl,
    type: "view",
    scope: "organization",
  });
  const ranges = expectDriveRangeRules(env.emu);
  expect(ranges.length).toBeGreaterThan(1);
  expect(env.emu.uploadRequests().filter((r) => r.authorization)).toEqual([]);
  expect(progress.at(-1)).toBe(file.size);
  expect(env.emu.driveSessions()).toEqual([]);
});

test("the folder is created when missing, nested paths too; an existing one is reused", async () => {
  const first = await share(memoryFile(1000, "a.txt"), "Large Attach/Shared/2026");
  expect(storedFile(env.emu, "Large Attach/Shared/2026/a.txt")?.id).toBe(first.driveItemId);
  const folders = env.emu
    .driveItems()
    .filter((i) => i.kind === "folder")
    .map((i) => i.path);
  expect(folders).toEqual(
    expect.arrayContaining(["/Large Attach", "/Large Attach/Shared", "/Large Attach/Shared/2026"])
  );
  await share(memoryFile(1000, "b.txt"), "Large Attach/Shared/2026");
  expect(env.emu.driveItems().filter((i) => i.kind === "folder")).toHaveLength(folders.length);
});

/** The Graph requests a share makes before its first range: method and path, in order. */
async function graphCallsOfShare(name: string, folder?: string) {
  const calls: string[] = [];
  const stack = fetchStack();
  const transport: HttpStack = {
    send(request) {
      const url = new URL(request.url);
      if (url.origin !== env.emu.uploadOrigin)
        calls.push(`${request.method} ${decodeURIComponent(url.pathname.replace(/^\/v1\.0/, ""))}`);
      return stack.send(request);
    },
  };
  await share(memoryFile(1000, name), folder, { transport });
  return calls.filter((c) => !c.endsWith("/createLink"));
}

test("the session is asked for first: once the folder exists, a share makes no folder request", async () => {
  // missingFolder notFound (the emulator's default): the first share finds the folder missing.
  expect(await graphCallsOfShare("a.txt")).toEqual([
    "POST /me/drive/root:/Attachments/a.txt:/createUploadSession",
    "POST /me/drive/root/children",
    "POST /me/drive/root:/Attachments/a.txt:/createUploadSession",
  ]);
  expect(await graphCallsOfShare("b.txt")).toEqual([
    "POST /me/drive/root:/Attachments/b.txt:/createUploadSession",
  ]);
  expect(storedFile(env.emu, "Attachments/b.txt")).toBeDefined();
});

test("where OneDrive makes a session path's folder itself, the first share is one request too", async () => {
  env.emu.configure({ drive: { missingFolder: "create" } });
  expect(await graphCallsOfShare("a.txt", "Large Attach/Shared")).toEqual([
    "POST /me/drive/root:/Large Attach/Shared/a.txt:/createUploadSession",
  ]);
  expect(storedFile(env.emu, "Large Attach/Shared/a.txt")).toBeDefined();
});

test.each(["notFound", "create"] as const)(
  "a file where the folder should be is said plainly (missingFolder %s), and nothing is stored",
  async (missingFolder) => {
    env.emu.configure({ drive: { missingFolder } });
    await share(memoryFile(1000, "Attachments"), "");
    const refused = share(memoryFile(1000, "a.txt"));
    await expect(refused).rejects.toBeInstanceOf(ProtocolError);
    await expect(refused).rejects.toThrow('"Attachments" in OneDrive is a file, not a folder');
    expect(env.emu.driveItems().filter((i) => i.kind === "file")).toHaveLength(1);
    expect(env.emu.driveSessions()).toEqual([]);
  }
);

test("a name already taken is renamed; ShareResult.name is the stored name", async () => {
  const first = await share(memoryFile(2000, "report.pdf", 1));
  const second = await share(memoryFile(2000, "report.pdf", 2));
  expect(first.name).toBe("report.pdf");
  expect(second.name).not.toBe("report.pdf");
  expect(second.driveItemId).not.toBe(first.driveItemId);
  expect(storedFile(env.emu, `Attachments/${second.name}`)?.sha256).toBe(
    memoryFile(2000, "report.pdf", 2).sha256
  );
});

test("middle ranges answered 200 instead of 202 work the same", async () => {
  env.emu.configure({ drive: { middleStatus: 200, finalStatus: 200 } });
  const file = memoryFile(3 * 327_680 + 5);
  await share(file, undefined, { driveChunkSize: 327_680 });
  expect(storedFile(env.emu, `Attachments/${file.name}`)?.sha256).toBe(file.sha256);
  expect(expectDriveRangeRules(env.emu)).toHaveLength(4);
});

test("a full OneDrive is a DriveFullError that says so, not retried, and leaves no session", async () => {
  env.emu.configure({ drive: { quotaBytes: 1 * MiB } });
  const error = await share(memoryFile(2 * MiB)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DriveFullError);
  expect((error as DriveFullError).retryable).toBe(false);
  expect((error as Error).message).toMatch(/OneDrive is full/);
  expect(env.emu.driveSessions()).toEqual([]);
});

test("a refused scope falls back to a narrower one and says which was asked for", async () => {
  env.emu.configure({ drive: { linkScopes: ["users"] } });
  const result = await share(memoryFile(1000));
  expect(result.link).toMatchObject({ scope: "users", requestedScope: "organization" });
});

test("anonymous is never a fallback; it is used when picked and allowed, with edit", async () => {
  env.emu.configure({ drive: { linkScopes: ["anonymous"] } });
  const refused = await share(memoryFile(1000, "x.bin")).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(LinkRefusedError);
  const picked = await share(memoryFile(1000, "y.bin"), undefined, {
    link: { type: "edit", scope: "anonymous" },
  });
  expect(picked.link).toMatchObject({ type: "edit", scope: "anonymous" });
  expect(picked.link.requestedScope).toBeUndefined();
});

test("no scope allowed: LinkRefusedError naming the file, which stays in OneDrive", async () => {
  env.emu.configure({ drive: { linkScopes: [] } });
  const error = (await share(memoryFile(1000, "plan.xlsx")).catch((e: unknown) => e)) as Error;
  expect(error).toBeInstanceOf(LinkRefusedError);
  expect(error.message).toMatch(/stays in your OneDrive as "plan\.xlsx"/);
  expect((error as LinkRefusedError).triedScopes).toEqual(["organization", "users"]);
  expect(storedFile(env.emu, "Attachments/plan.xlsx")).toBeDefined();
});
