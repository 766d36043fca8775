// The OneDrive subset over HTTP: folders, upload sessions by path and by parent id, the range
// rules of driveitem-createuploadsession.md and their errors, conflict behaviour, quota, links,
// expiry, GET status, DELETE, content read back with its SHA-256, and each switch.
import { readdirSync } from "node:fs";
import {
  errorCode,
  MiB,
  rawRequest,
  seededBytes,
  sha256,
  startHarness,
  type Harness,
} from "./helpers";
import {
  code,
  createFolder,
  driveSession,
  driveUploadUrl,
  graph,
  innerCode,
  putDrive,
  readContent,
  UNIT,
  uploadDrive,
} from "./drive-helpers";

const SIZE = 6 * UNIT + 12_345; // 1,978,425 bytes: six full ranges of 320 KiB and a short last one
const bytes = seededBytes(SIZE, 12);
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.emulator.reset();
});
afterAll(() => h.emulator.close());

describe("folders", () => {
  test("GET root:/{path} is 404 itemNotFound until POST root/children creates it; then 200 with the same id", async () => {
    const missing = await graph(h, "GET", "/root:/Attachments");
    expect(missing.status).toBe(404);
    expect(code(missing.body)).toBe("itemNotFound");
    const created = await graph(h, "POST", "/root/children", {
      name: "Attachments",
      folder: {},
      "@microsoft.graph.conflictBehavior": "fail",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Attachments",
      folder: { childCount: 0 },
      parentReference: { path: "/drive/root:" },
    });
    const found = await graph(h, "GET", "/root:/Attachments");
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(created.body.id);
    // Names ignore case, as in OneDrive; a trailing ":" is accepted as in the docs' paths.
    expect((await graph(h, "GET", "/root:/attachments:")).body.id).toBe(created.body.id);
  });

  test("an existing name: fail (the default) answers 409 nameAlreadyExists, rename picks 'name 1'", async () => {
    await createFolder(h, "Attachments");
    const again = await graph(h, "POST", "/root/children", { name: "Attachments", folder: {} });
    expect(again.status).toBe(409);
    expect(code(again.body)).toBe("nameAlreadyExists");
    const renamed = await graph(h, "POST", "/root/children", {
      name: "Attachments",
      folder: {},
      "@microsoft.graph.conflictBehavior": "rename",
    });
    expect(renamed.status).toBe(201);
    expect(renamed.body.name).toBe("Attachments 1");
  });

  test("POST items/{id}/children nests a folder; GET …/children lists it; a bad name is 400 invalidPath", async () => {
    const parent = await createFolder(h, "Attachments");
    const nested = await createFolder(h, "2026", parent);
    const listed = await graph(h, "GET", `/items/${parent}/children`);
    expect((listed.body.value as Array<{ id: string }>).map((i) => i.id)).toEqual([nested]);
    expect((await graph(h, "GET", "/root:/Attachments/2026")).body).toMatchObject({
      id: nested,
      parentReference: { id: parent, path: "/drive/root:/Attachments" },
    });
    const bad = await graph(h, "POST", `/items/${parent}/children`, { name: "a|b", folder: {} });
    expect(bad.status).toBe(400);
    expect(innerCode(bad.body)).toBe("invalidPath");
  });
});

describe("an upload session, start to end", () => {
  test("by path: 200 session, 202 middles with nextExpectedRanges, GET status, 201 driveItem; content and SHA-256 match", async () => {
    const folder = await createFolder(h, "Attachments");
    const session = await driveSession(h, "/root:/Attachments/report.bin:", {
      item: { "@microsoft.graph.conflictBehavior": "rename", name: "report.bin" },
    });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ nextExpectedRanges: ["0-"] });
    expect(Date.parse(session.body.expirationDateTime as string)).toBeGreaterThan(Date.now());
    const url = session.body.uploadUrl as string;
    expect(url.startsWith(`${h.emulator.uploadOrigin}/`)).toBe(true);

    const first = await putDrive(url, bytes, 0, 3 * UNIT - 1);
    expect(first.status).toBe(202);
    expect(first.body.nextExpectedRanges).toEqual([`${3 * UNIT}-`]);
    const status = await fetch(url);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ nextExpectedRanges: [`${3 * UNIT}-`] });
    expect(h.emulator.driveSessions()).toMatchObject([
      {
        path: "/Attachments/report.bin",
        received: 3 * UNIT,
        size: SIZE,
        conflictBehavior: "rename",
      },
    ]);

    const last = await putDrive(url, bytes, 3 * UNIT, SIZE - 1);
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({
      name: "report.bin",
      size: SIZE,
      file: { mimeType: "application/octet-stream" },
      parentReference: { id: folder, path: "/drive/root:/Attachments" },
    });
    expect(last.body.webUrl).toMatch(/^https:\/\/.+\/Attachments\/report\.bin$/);
    const id = last.body.id as string;
    expect(sha256(await readContent(h, id))).toBe(sha256(bytes));
    expect(h.emulator.driveItems().find((i) => i.id === id)).toMatchObject({
      path: "/Attachments/report.bin",
      kind: "file",
      size: SIZE,
      sha256: sha256(bytes),
    });
    expect((await graph(h, "GET", "/root:/Attachments/report.bin")).body.id).toBe(id);
    expect((await graph(h, "GET", `/items/${id}`)).body).toMatchObject({ id, size: SIZE });
    expect(h.emulator.driveSessions()).toEqual([]);
  });

  test("by parent id: POST items/{parent-id}:/{name}:/createUploadSession stores the file in that folder", async () => {
    const folder = await createFolder(h, "Attachments");
    const url = await driveUploadUrl(h, `/items/${folder}:/by-id.bin:`);
    const answers = await uploadDrive(url, bytes);
    expect(answers.map((a) => a.status)).toEqual([202, 201]);
    expect(answers[1].body).toMatchObject({ name: "by-id.bin", parentReference: { id: folder } });
    expect(sha256(await readContent(h, answers[1].body.id as string))).toBe(sha256(bytes));
  });

  test("/users/{upn}/drive and /users/{id}/drive are the caller's drive; another user's drive is 403", async () => {
    await createFolder(h, "Attachments");
    const byUpn = await graph(
      h,
      "GET",
      "/root:/Attachments",
      undefined,
      "users/adele@contoso.test/drive"
    );
    expect(byUpn.status).toBe(200);
    const ownId = h.emulator.mailboxes().find((m) => m.address === "adele@contoso.test")!.id;
    const url = await driveUploadUrl(h, "/root:/Attachments/u.bin:", undefined);
    expect((await uploadDrive(url, bytes)).at(-1)!.status).toBe(201);
    const byId = await graph(
      h,
      "GET",
      "/root:/Attachments/u.bin",
      undefined,
      `users/${ownId}/drive`
    );
    expect(byId.body).toMatchObject({ name: "u.bin", size: SIZE });
    h.emulator.addMailbox("shared@contoso.test", ["adele@contoso.test"]);
    const other = await graph(h, "GET", "/root", undefined, "users/shared@contoso.test/drive");
    expect(other.status).toBe(403);
    expect(code(other.body)).toBe("accessDenied");
  });

  test("GET /me/drive reports the quota: used grows by the stored bytes", async () => {
    const before = await graph(h, "GET", "");
    expect(before.body).toMatchObject({
      driveType: "business",
      quota: { used: 0, state: "normal" },
    });
    const url = await driveUploadUrl(h, "/root:/q.bin:");
    await uploadDrive(url, bytes);
    const after = await graph(h, "GET", "");
    expect(after.body).toMatchObject({ quota: { used: SIZE } });
  });

  test("DELETE on the upload URL: 204, the session and its bytes are gone, a later PUT is 404", async () => {
    const url = await driveUploadUrl(h, "/root:/cancel.bin:");
    expect((await putDrive(url, bytes, 0, UNIT - 1)).status).toBe(202);
    expect(readdirSync(h.emulator.storageDir).some((f) => f.includes("drive-"))).toBe(true);
    const deleted = await fetch(url, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(h.emulator.driveSessions()).toEqual([]);
    expect(readdirSync(h.emulator.storageDir).filter((f) => f.includes("drive-"))).toEqual([]);
    const later = await putDrive(url, bytes, UNIT, 2 * UNIT - 1);
    expect(later.status).toBe(404);
    expect(code(later.body)).toBe("itemNotFound");
    expect(innerCode(later.body)).toBe("uploadSessionNotFound");
  });

  test("deferCommit: the last range answers 202 with no ranges left; the empty POST commits (201 driveItem)", async () => {
    const url = await driveUploadUrl(h, "/root:/deferred.bin:", {
      item: { "@microsoft.graph.conflictBehavior": "rename" },
      deferCommit: true,
    });
    const answers = await uploadDrive(url, bytes);
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(answers[1].body.nextExpectedRanges).toEqual([]);
    expect((await graph(h, "GET", "/root:/deferred.bin")).status).toBe(404);
    const commit = await fetch(url, { method: "POST", headers: { "Content-Length": "0" } });
    expect(commit.status).toBe(201);
    const item = (await commit.json()) as { id: string; name: string };
    expect(item.name).toBe("deferred.bin");
    expect(sha256(await readContent(h, item.id))).toBe(sha256(bytes));
  });

  test("a file item: POST items/{id}/createUploadSession replaces its content and keeps its id", async () => {
    const url = await driveUploadUrl(h, "/root:/v.bin:");
    const first = (await uploadDrive(url, bytes)).at(-1)!.body;
    const other = seededBytes(2 * UNIT + 7, 13);
    const update = await driveUploadUrl(h, `/items/${first.id as string}`, {});
    const answers = await uploadDrive(update, other);
    expect(answers.at(-1)!.status).toBe(201);
    expect(answers.at(-1)!.body).toMatchObject({ id: first.id, name: "v.bin", size: other.length });
    expect(sha256(await readContent(h, first.id as string))).toBe(sha256(other));
  });
});

describe("range rules", () => {
  test("a middle range that is not a multiple of 320 KiB is 400 invalidRequest and not committed", async () => {
    const url = await driveUploadUrl(h, "/root:/odd.bin:");
    const odd = await putDrive(url, bytes, 0, MiB - 1); // 1 MiB = 3.2 × 320 KiB
    expect(odd.status).toBe(400);
    expect(code(odd.body)).toBe("invalidRequest");
    expect(odd.body).toMatchObject({ error: { message: expect.stringContaining("327,680") } });
    expect(await (await fetch(url)).json()).toMatchObject({ nextExpectedRanges: ["0-"] });
    // The last range may be any length.
    const answers = await uploadDrive(url, bytes, 3 * UNIT);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 201]);
    expect(answers[2].body.size).toBe(SIZE);
  });

  test("a range of 60 MiB or more is 413 maxFragmentLengthExceeded, refused before its body is read", async () => {
    const big = 192 * UNIT; // exactly 60 MiB: the docs say "less than 60 MiB"
    const url = await driveUploadUrl(h, "/root:/big.bin:");
    const request = rawRequest(
      url,
      "PUT",
      { "Content-Range": `bytes 0-${big - 1}/${big + 1}`, "Content-Length": String(big) },
      Buffer.alloc(64 * 1024),
      { end: false }
    );
    const answer = await request.response;
    request.abort();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: "invalidRequest", innerError: { code: "maxFragmentLengthExceeded" } },
    });
  });

  test("a replayed range is 416 invalidRange (fragmentOverlap), a skipped one 416 (fragmentOutOfOrder), both naming the expected range", async () => {
    const url = await driveUploadUrl(h, "/root:/replay.bin:");
    expect((await putDrive(url, bytes, 0, UNIT - 1)).status).toBe(202);
    const replay = await putDrive(url, bytes, 0, UNIT - 1);
    expect(replay.status).toBe(416);
    expect(code(replay.body)).toBe("invalidRange");
    expect(innerCode(replay.body)).toBe("fragmentOverlap");
    expect(replay.body).toMatchObject({ error: { message: expect.stringContaining(`${UNIT}-`) } });
    const skip = await putDrive(url, bytes, 2 * UNIT, 3 * UNIT - 1);
    expect(skip.status).toBe(416);
    expect(innerCode(skip.body)).toBe("fragmentOutOfOrder");
    expect(await (await fetch(url)).json()).toMatchObject({ nextExpectedRanges: [`${UNIT}-`] });
  });

  test("a Content-Range total that differs from fileSize (or the first range's) is 400 fragmentLengthMismatch", async () => {
    const url = await driveUploadUrl(h, "/root:/total.bin:", { item: {}, fileSize: SIZE });
    const wrong = await putDrive(url, Buffer.concat([bytes, Buffer.alloc(1)]), 0, UNIT - 1);
    expect(wrong.status).toBe(400);
    expect(innerCode(wrong.body)).toBe("fragmentLengthMismatch");
  });

  test("files up to 250 GB pass the size rules (a first range of a 250 GiB file is 202); one byte more is 400 maxFileSizeExceeded", async () => {
    const total = 250 * 1024 * 1024 * 1024;
    const url = await driveUploadUrl(h, "/root:/huge.vhd:");
    const first = await fetch(url, {
      method: "PUT",
      headers: { "Content-Range": `bytes 0-${UNIT - 1}/${total}` },
      body: new Uint8Array(UNIT),
    });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ nextExpectedRanges: [`${UNIT}-`] });
    expect((await fetch(url, { method: "DELETE" })).status).toBe(204);
    const over = await driveSession(h, "/root:/huger.vhd:", { item: { fileSize: total + 1 } });
    expect(over.status).toBe(400);
    expect(innerCode(over.body)).toBe("maxFileSizeExceeded");
  });

  test("switch drive.enforceRangeRules off: a 1 MiB middle range is accepted", async () => {
    h.emulator.configure({ drive: { enforceRangeRules: false } });
    const url = await driveUploadUrl(h, "/root:/lenient.bin:");
    const answers = await uploadDrive(url, bytes, MiB);
    expect(answers.map((a) => a.status)).toEqual([202, 201]);
    expect(sha256(await readContent(h, answers[1].body.id as string))).toBe(sha256(bytes));
  });
});

describe("session edge cases", () => {
  test("a second PUT while a range is arriving is 409; the first then completes and is committed", async () => {
    const url = await driveUploadUrl(h, "/root:/busy.bin:");
    const slow = rawRequest(
      url,
      "PUT",
      { "Content-Range": `bytes 0-${UNIT - 1}/${SIZE}`, "Content-Length": String(UNIT) },
      bytes.subarray(0, 1000),
      { end: false }
    );
    for (let i = 0; i < 100 && !h.emulator.driveSessions()[0]?.busy; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(h.emulator.driveSessions()[0].busy).toBe(true);
    const second = await putDrive(url, bytes, 0, UNIT - 1);
    expect(second.status).toBe(409);
    slow.finish(bytes.subarray(1000, UNIT));
    expect((await slow.response).status).toBe(202);
    expect(h.emulator.driveSessions()[0]).toMatchObject({ received: UNIT, busy: false });
  });

  test("the commit POST before every byte is in is 400 uploadSessionIncomplete; without deferCommit POST is 405", async () => {
    const deferred = await driveUploadUrl(h, "/root:/early.bin:", { deferCommit: true });
    expect((await putDrive(deferred, bytes, 0, UNIT - 1)).status).toBe(202);
    const early = await fetch(deferred, { method: "POST", headers: { "Content-Length": "0" } });
    expect(early.status).toBe(400);
    expect(innerCode((await early.json()) as Record<string, unknown>)).toBe(
      "uploadSessionIncomplete"
    );
    const plain = await driveUploadUrl(h, "/root:/plain.bin:");
    expect((await fetch(plain, { method: "POST" })).status).toBe(405);
  });

  test("the session's folder deleted meanwhile: the last range is 404 itemNotFound; DELETE items/{id} removes a folder and its files", async () => {
    const folder = await createFolder(h, "Gone");
    const kept = (
      await uploadDrive(await driveUploadUrl(h, `/items/${folder}:/kept.bin:`), bytes)
    ).at(-1)!;
    const url = await driveUploadUrl(h, `/items/${folder}:/late.bin:`);
    expect((await putDrive(url, bytes, 0, 3 * UNIT - 1)).status).toBe(202);
    expect((await graph(h, "DELETE", `/items/${folder}`)).status).toBe(204);
    expect((await graph(h, "GET", `/items/${kept.body.id as string}`)).status).toBe(404);
    const last = await putDrive(url, bytes, 3 * UNIT, SIZE - 1);
    expect(last.status).toBe(404);
    expect(code(last.body)).toBe("itemNotFound");
    expect(h.emulator.driveItems().filter((i) => i.kind === "file")).toEqual([]);
    expect((await graph(h, "DELETE", "/root")).status).toBe(403);
  });
});

describe("conflict behaviour", () => {
  test("rename stores 'report 1.pdf', 'report 2.pdf'; fail answers 409 nameAlreadyExists at createUploadSession", async () => {
    const names = [];
    for (let i = 0; i < 3; i++) {
      const url = await driveUploadUrl(h, "/root:/report.pdf:");
      names.push((await uploadDrive(url, bytes)).at(-1)!.body.name);
    }
    expect(names).toEqual(["report.pdf", "report 1.pdf", "report 2.pdf"]);
    const failed = await driveSession(h, "/root:/report.pdf:", {
      item: { "@microsoft.graph.conflictBehavior": "fail" },
    });
    expect(failed.status).toBe(409);
    expect(code(failed.body)).toBe("nameAlreadyExists");
    expect(h.emulator.driveSessions()).toEqual([]);
  });

  test("fail, with the name taken during the session: the last range is 409, not committed; the session stays until DELETE", async () => {
    const url = await driveUploadUrl(h, "/root:/race.bin:", {
      item: { "@microsoft.graph.conflictBehavior": "fail" },
    });
    expect((await putDrive(url, bytes, 0, 3 * UNIT - 1)).status).toBe(202);
    const rival = await driveUploadUrl(h, "/root:/race.bin:");
    expect((await uploadDrive(rival, bytes)).at(-1)!.status).toBe(201);
    const last = await putDrive(url, bytes, 3 * UNIT, SIZE - 1);
    expect(last.status).toBe(409);
    expect(code(last.body)).toBe("nameAlreadyExists");
    expect(await (await fetch(url)).json()).toMatchObject({ nextExpectedRanges: [`${3 * UNIT}-`] });
    expect((await fetch(url, { method: "DELETE" })).status).toBe(204);
    expect(h.emulator.driveItems().filter((i) => i.kind === "file")).toHaveLength(1);
  });

  test("replace keeps the item id and swaps the content", async () => {
    const first = (await uploadDrive(await driveUploadUrl(h, "/root:/same.bin:"), bytes)).at(-1)!;
    const other = seededBytes(UNIT + 1, 14);
    const url = await driveUploadUrl(h, "/root:/same.bin:", {
      item: { "@microsoft.graph.conflictBehavior": "replace" },
    });
    const second = (await uploadDrive(url, other)).at(-1)!;
    expect(second.body).toMatchObject({ id: first.body.id, size: other.length });
    expect(sha256(await readContent(h, first.body.id as string))).toBe(sha256(other));
  });

  test("an unknown conflictBehavior, or item.name differing from the path, is 400 invalidRequest", async () => {
    const bad = await driveSession(h, "/root:/x.bin:", {
      item: { "@microsoft.graph.conflictBehavior": "overwrite" },
    });
    expect(bad.status).toBe(400);
    const mismatch = await driveSession(h, "/root:/x.bin:", { item: { name: "y.bin" } });
    expect(mismatch.status).toBe(400);
    expect(code(mismatch.body)).toBe("invalidRequest");
  });
});

describe("missing folder in the path (undocumented: a switch)", () => {
  test("default notFound: 404 itemNotFound, nothing created", async () => {
    const answer = await driveSession(h, "/root:/Missing/Deeper/a.bin:");
    expect(answer.status).toBe(404);
    expect(code(answer.body)).toBe("itemNotFound");
    expect(h.emulator.driveItems().filter((i) => i.kind === "folder" && i.path)).toEqual([]);
  });

  test("drive.missingFolder create: the folders are made and the file lands in them", async () => {
    h.emulator.configure({ drive: { missingFolder: "create" } });
    const url = await driveUploadUrl(h, "/root:/Missing/Deeper/a.bin:");
    const last = (await uploadDrive(url, bytes)).at(-1)!;
    expect(last.body).toMatchObject({ parentReference: { path: "/drive/root:/Missing/Deeper" } });
    expect((await graph(h, "GET", "/root:/Missing/Deeper")).body).toMatchObject({
      folder: { childCount: 1 },
    });
  });
});

describe("quota", () => {
  test("fileSize over what is left: createUploadSession is 507 quotaLimitReached, no session", async () => {
    h.emulator.configure({ drive: { quotaBytes: MiB } });
    const answer = await driveSession(h, "/root:/full.bin:", { item: { fileSize: SIZE } });
    expect(answer.status).toBe(507);
    expect(code(answer.body)).toBe("quotaLimitReached");
    expect(h.emulator.driveSessions()).toEqual([]);
  });

  test("without fileSize: the last range is 507, not committed; with the quota raised the same PUT completes", async () => {
    h.emulator.configure({ drive: { quotaBytes: MiB } });
    const url = await driveUploadUrl(h, "/root:/full.bin:");
    expect((await putDrive(url, bytes, 0, 3 * UNIT - 1)).status).toBe(202);
    const last = await putDrive(url, bytes, 3 * UNIT, SIZE - 1);
    expect(last.status).toBe(507);
    expect(code(last.body)).toBe("quotaLimitReached");
    expect((await graph(h, "GET", "")).body).toMatchObject({ quota: { used: 0 } });
    h.emulator.configure({ drive: { quotaBytes: 10 * MiB } });
    const retry = await putDrive(url, bytes, 3 * UNIT, SIZE - 1);
    expect(retry.status).toBe(201);
    expect(sha256(await readContent(h, retry.body.id as string))).toBe(sha256(bytes));
  });
});

describe("createLink", () => {
  async function storedFile(): Promise<string> {
    const url = await driveUploadUrl(h, "/root:/share.pdf:");
    return (await uploadDrive(url, bytes)).at(-1)!.body.id as string;
  }

  test("201 for a new link, 200 with the same link for an existing one; edit gives roles write", async () => {
    const id = await storedFile();
    const created = await graph(h, "POST", `/items/${id}/createLink`, {
      type: "view",
      scope: "organization",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      roles: ["read"],
      link: { type: "view", scope: "organization", webUrl: expect.stringMatching(/^https:\/\//) },
    });
    const again = await graph(h, "POST", `/items/${id}/createLink`, {
      type: "view",
      scope: "organization",
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    const edit = await graph(h, "POST", `/items/${id}/createLink`, {
      type: "edit",
      scope: "users",
    });
    expect(edit.status).toBe(201);
    expect(edit.body.roles).toEqual(["write"]);
    const links = h.emulator.driveItems().find((i) => i.id === id)!.links;
    expect(links.map((l) => `${l.type}/${l.scope}`)).toEqual(["view/organization", "edit/users"]);
    expect(links[0].webUrl).toBe((created.body.link as { webUrl: string }).webUrl);
  });

  test("a scope the tenant refuses is 403 accessDenied; no scope gives the first allowed one", async () => {
    h.emulator.configure({ drive: { linkScopes: ["organization"] } });
    const id = await storedFile();
    const refused = await graph(h, "POST", `/items/${id}/createLink`, {
      type: "view",
      scope: "anonymous",
    });
    expect(refused.status).toBe(403);
    expect(code(refused.body)).toBe("accessDenied");
    const fallback = await graph(h, "POST", `/items/${id}/createLink`, { type: "view" });
    expect(fallback.status).toBe(201);
    expect(fallback.body).toMatchObject({ link: { scope: "organization" } });
    const badType = await graph(h, "POST", `/items/${id}/createLink`, { type: "embed" });
    expect(badType.status).toBe(400);
    const missing = await graph(h, "POST", `/items/01NOSUCHITEM/createLink`, { type: "view" });
    expect(missing.status).toBe(404);
  });
});

describe("expiry, auth, status switches", () => {
  test("each accepted range extends the expiry; after the TTL the URL answers 404 and the session is gone", async () => {
    h.emulator.configure({ drive: { sessionTtlSeconds: 1 } });
    const session = await driveSession(h, "/root:/ttl.bin:");
    const url = session.body.uploadUrl as string;
    await new Promise((r) => setTimeout(r, 50));
    const first = await putDrive(url, bytes, 0, UNIT - 1);
    expect(first.status).toBe(202);
    expect(Date.parse(first.body.expirationDateTime as string)).toBeGreaterThan(
      Date.parse(session.body.expirationDateTime as string)
    );
    await new Promise((r) => setTimeout(r, 1200));
    const late = await putDrive(url, bytes, UNIT, 2 * UNIT - 1);
    expect(late.status).toBe(404);
    expect(innerCode(late.body)).toBe("uploadSessionNotFound");
    expect(h.emulator.driveSessions()).toEqual([]);
  });

  test("the upload URL refuses an Authorization header (401) and a wrong tempauth (401); Graph routes need a Bearer token", async () => {
    const url = await driveUploadUrl(h, "/root:/auth.bin:");
    const withBearer = await putDrive(url, bytes, 0, UNIT - 1, h.auth);
    expect(withBearer.status).toBe(401);
    expect(code(withBearer.body)).toBe("unauthenticated");
    const forged = new URL(url);
    forged.searchParams.set("tempauth", "forged");
    expect((await putDrive(forged.toString(), bytes, 0, UNIT - 1)).status).toBe(401);
    expect(await (await fetch(url)).json()).toMatchObject({ nextExpectedRanges: ["0-"] });
    const anonymous = await fetch(
      `${h.emulator.graphUrl}/me/drive/root:/x.bin:/createUploadSession`,
      {
        method: "POST",
      }
    );
    expect(anonymous.status).toBe(401);
    expect(errorCode(await anonymous.json())).toBe("InvalidAuthenticationToken");
  });

  test("switches: middleStatus 200 and finalStatus 200; getStatus off answers GET with 405", async () => {
    h.emulator.configure({ drive: { middleStatus: 200, finalStatus: 200, getStatus: false } });
    const url = await driveUploadUrl(h, "/root:/status.bin:");
    const answers = await uploadDrive(url, bytes);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[0].body).toHaveProperty("nextExpectedRanges");
    expect(answers[1].body).toMatchObject({ name: "status.bin", size: SIZE });
    const other = await driveUploadUrl(h, "/root:/status2.bin:");
    expect((await fetch(other)).status).toBe(405);
  });

  test("config: bad drive values are refused with 400 naming the field; PUT /_emulator/config sets them", async () => {
    const bad = await fetch(`${h.emulator.url}/_emulator/config`, {
      method: "PUT",
      body: JSON.stringify({ drive: { middleStatus: 204 } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      "drive.middleStatus"
    );
    for (const patch of [{ linkScopes: ["everyone"] }, { nope: 1 }, { quotaBytes: -1 }]) {
      expect(() => h.emulator.configure({ drive: patch as never })).toThrow(/drive\./);
    }
    const good = await fetch(`${h.emulator.url}/_emulator/config`, {
      method: "PUT",
      body: JSON.stringify({ drive: { quotaBytes: 5 * MiB, missingFolder: "create" } }),
    });
    expect(((await good.json()) as { drive: unknown }).drive).toMatchObject({
      quotaBytes: 5 * MiB,
      missingFolder: "create",
      middleStatus: 202,
    });
  });
});

describe("content", () => {
  test("drive.contentRedirect: …/content answers 302 to a pre-authenticated download URL on the upload origin; fetch follows it", async () => {
    h.emulator.configure({ drive: { contentRedirect: true } });
    const first = (await uploadDrive(await driveUploadUrl(h, "/root:/dl.bin:"), bytes)).at(-1)!;
    const id = first.body.id as string;
    const redirect = await fetch(`${h.emulator.graphUrl}/me/drive/items/${id}/content`, {
      headers: h.auth,
      redirect: "manual",
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get("location")!;
    expect(location.startsWith(`${h.emulator.uploadOrigin}/`)).toBe(true);
    const direct = await fetch(location); // no Authorization: the URL carries its own
    expect(sha256(Buffer.from(await direct.arrayBuffer()))).toBe(sha256(bytes));
    expect(sha256(await readContent(h, id))).toBe(sha256(bytes)); // followed
    // A new content gets a new download URL; the old one is refused.
    const other = seededBytes(UNIT + 3, 15);
    const replace = await driveUploadUrl(h, "/root:/dl.bin:", {
      item: { "@microsoft.graph.conflictBehavior": "replace" },
    });
    expect((await uploadDrive(replace, other)).at(-1)!.status).toBe(201);
    expect((await fetch(location)).status).toBe(401);
    expect(sha256(await readContent(h, id))).toBe(sha256(other));
  });

  test("a file's driveItem carries @microsoft.graph.downloadUrl: pre-authenticated, no Authorization, CORS without a preflight", async () => {
    const last = (await uploadDrive(await driveUploadUrl(h, "/root:/direct.bin:"), bytes)).at(-1)!;
    const downloadUrl = last.body["@microsoft.graph.downloadUrl"] as string;
    expect(downloadUrl.startsWith(`${h.emulator.uploadOrigin}/`)).toBe(true);
    const got = await graph(h, "GET", `/items/${last.body.id as string}`);
    expect(got.body["@microsoft.graph.downloadUrl"]).toBe(downloadUrl);
    const direct = await fetch(downloadUrl, { headers: { Origin: "https://pane.example" } });
    expect(direct.status).toBe(200);
    expect(direct.headers.get("access-control-allow-origin")).toBe("https://pane.example");
    expect(sha256(Buffer.from(await direct.arrayBuffer()))).toBe(sha256(bytes));
    const forged = new URL(downloadUrl);
    forged.searchParams.set("tempauth", "forged");
    expect((await fetch(forged)).status).toBe(401);
    const folder = await graph(h, "GET", "/root");
    expect(folder.body).not.toHaveProperty("@microsoft.graph.downloadUrl");
  });

  test("…/content of a folder is 400; of an unknown item 404", async () => {
    const folder = await createFolder(h, "Attachments");
    const ofFolder = await graph(h, "GET", `/items/${folder}/content`);
    expect(ofFolder.status).toBe(400);
    expect((await graph(h, "GET", "/root:/nothing.bin:/content")).status).toBe(404);
  });
});

describe("control API, reset, restart, CORS", () => {
  test("GET /_emulator/drive and /_emulator/drive/sessions show items (with SHA-256) and open sessions", async () => {
    const url = await driveUploadUrl(h, "/root:/c.bin:");
    const open = await fetch(`${h.emulator.url}/_emulator/drive/sessions`);
    expect(((await open.json()) as { value: unknown[] }).value).toMatchObject([
      { path: "/c.bin", received: 0, size: null, deferCommit: false },
    ]);
    await uploadDrive(url, bytes);
    const items = await fetch(`${h.emulator.url}/_emulator/drive`);
    expect(((await items.json()) as { value: unknown[] }).value).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "/c.bin", size: SIZE, sha256: sha256(bytes) }),
      ])
    );
  });

  test("restart drops open drive sessions (404 after) and keeps stored files; reset forgets the drive", async () => {
    const stored = (await uploadDrive(await driveUploadUrl(h, "/root:/keep.bin:"), bytes)).at(-1)!;
    const url = await driveUploadUrl(h, "/root:/lost.bin:");
    expect((await putDrive(url, bytes, 0, UNIT - 1)).status).toBe(202);
    await h.emulator.restart();
    expect(h.emulator.driveSessions()).toEqual([]);
    // A fresh connection (restart destroyed the pooled ones).
    const after = rawRequest(
      url,
      "PUT",
      {
        "Content-Range": `bytes ${UNIT}-${2 * UNIT - 1}/${SIZE}`,
        "Content-Length": String(UNIT),
      },
      bytes.subarray(UNIT, 2 * UNIT)
    );
    expect((await after.response).status).toBe(404);
    expect(sha256(await readContent(h, stored.body.id as string))).toBe(sha256(bytes));
    await h.emulator.reset();
    expect(h.emulator.driveItems()).toEqual([]);
    expect(readdirSync(h.emulator.storageDir).filter((f) => f.includes("drive-"))).toEqual([]);
  });

  test("CORS: preflight and answers on the drive upload URL and Graph drive routes carry the origin", async () => {
    const origin = "https://pane.example";
    const url = await driveUploadUrl(h, "/root:/cors.bin:");
    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-range",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    const put = await putDrive(url, bytes, 0, UNIT - 1, { Origin: origin });
    expect(put.status).toBe(202);
    expect(put.headers.get("access-control-allow-origin")).toBe(origin);
    const refused = await putDrive(url, bytes, 0, UNIT - 1, { Origin: origin });
    expect(refused.status).toBe(416);
    expect(refused.headers.get("access-control-allow-origin")).toBe(origin);
    const graphAnswer = await fetch(`${h.emulator.graphUrl}/me/drive/root`, {
      headers: { ...h.auth, Origin: origin },
    });
    expect(graphAnswer.headers.get("access-control-allow-origin")).toBe(origin);
  });
});
