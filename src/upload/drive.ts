// The OneDrive link route (DESIGN.md §2b): the file goes to a folder of the add-in's own in the
// user's OneDrive through a driveItem upload session — the same range engine as attachments
// (session.ts), with OneDrive's range rules (drive-rules.ts) — and a sharing link is made for it.
import { abortErrorFor } from "./backoff";
import { AbortError, HttpError, LinkRefusedError, ProtocolError } from "./errors";
import {
  adaptiveDriveRangeSize,
  driveErrorFrom,
  DRIVE_RANGE_RULES,
  driveItemOf,
} from "./drive-rules";
import { graphRequest, type GraphContext } from "./graph";
import { DEFAULT_SHARE_OPTIONS, resolveOptions } from "./options";
import { getCaseInsensitive, type StoredItem } from "./protocol";
import { canResumeDrive, createDriveResumeRecord, normalFolder } from "./resume";
import { checkDriveFile } from "./routing";
import { SessionUpload, UploadRun, type Completed, type SessionHost } from "./session";
import type {
  DriveTarget,
  LinkChoice,
  LinkScope,
  LinkType,
  ShareResult,
  SharedLink,
  TokenProvider,
  UploadFile,
  UploadOptions,
} from "./types";

export type ShareOptions = Partial<UploadOptions & { link: LinkChoice }>;

/**
 * Uploads `file` into `target.folder` of the user's OneDrive (created when missing; a name that is
 * taken gets a new one: `ShareResult.name` is the stored name) and makes a sharing link of the
 * chosen type and scope — falling back to a narrower scope the tenant allows, never a wider one.
 * Progress, pause, cancel, resume records, stalls and retries as attachFile's.
 */
export async function shareFile(
  file: UploadFile,
  target: DriveTarget,
  getToken: TokenProvider,
  partialOptions: ShareOptions = {}
): Promise<ShareResult> {
  const { link = DEFAULT_SHARE_OPTIONS.link, ...rest } = partialOptions;
  const options = resolveOptions(rest);
  checkDriveFile(file); // before anything touches the network
  const run = new UploadRun(file, options, getToken, {
    target: { mailbox: target.drive },
    errorFrom: driveErrorFrom,
  });
  if (options.signal?.aborted) throw abortErrorFor(options.signal);
  const drive = new DrivePaths(target);
  run.phases.set("creating-session");
  const stored = await new SessionUpload(run, driveHost(run, drive, target)).upload();
  const item = stored.item!;
  run.phases.set("linking");
  const shared = await linkOrRemove(run.graph, drive, stored.attachmentId, item.name, link);
  run.report(file.size, file.size);
  run.phases.set("shared");
  return {
    route: "drive",
    driveItemId: stored.attachmentId,
    name: item.name,
    itemWebUrl: item.webUrl,
    link: shared,
    bytes: file.size,
    ms: options.now() - run.startedAt,
  };
}

/** Graph URLs of one drive and one folder in it. */
class DrivePaths {
  readonly base: string;
  readonly segments: string[];
  constructor(target: DriveTarget) {
    const graph = target.graphBaseUrl.replace(/\/+$/, "");
    const owner = target.drive === "me" ? "me" : `users/${encodeURIComponent(target.drive)}`;
    this.base = `${graph}/${owner}/drive`;
    this.segments = normalFolder(target.folder).split("/").filter(Boolean);
  }

  /** `…/drive/root:/a/b` for the first `count` folder segments, and then `name` if given. */
  path(count = this.segments.length, name?: string): string {
    const parts = [...this.segments.slice(0, count), ...(name === undefined ? [] : [name])];
    return parts.length === 0
      ? `${this.base}/root`
      : `${this.base}/root:/${parts.map(encodeURIComponent).join("/")}`;
  }

  /** `…/root:/a/b:/{rest}`, or `…/root/{rest}` for the root. */
  under(count: number, name: string | undefined, rest: string): string {
    const path = this.path(count, name);
    return path.endsWith("/root") ? `${path}/${rest}` : `${path}:/${rest}`;
  }
}

/**
 * What a refused createUploadSession says about the add-in's folder. Whether OneDrive creates a
 * missing folder of a session path is not documented (the emulator models both; its default
 * answers 404), so the session is asked for first — one request once the folder exists, as it does
 * from the first share on — and only a 404 makes the folder, then has the create tried again. A
 * 400 may mean the folder is a file: that is said plainly.
 */
async function folderAfterRefusal(
  graph: GraphContext,
  drive: DrivePaths,
  error: unknown
): Promise<boolean> {
  if (!(error instanceof HttpError) || drive.segments.length === 0) return false;
  if (error.status === 404) {
    await makeFolders(graph, drive);
    return true;
  }
  if (error.status === 400) await folderExists(graph, drive, drive.segments.length);
  return false;
}

/**
 * Makes the add-in's folder, which the session's 404 says is missing: each segment in turn (one
 * above the last only when a GET finds it missing) — "fail" on a conflict, a 409 meaning it is
 * there (someone made it meanwhile).
 */
async function makeFolders(graph: GraphContext, drive: DrivePaths): Promise<void> {
  for (let count = 1; count <= drive.segments.length; count++) {
    if (count < drive.segments.length && (await folderExists(graph, drive, count))) continue;
    try {
      await graphRequest(graph, {
        method: "POST",
        url: drive.under(count - 1, undefined, "children"),
        body: JSON.stringify({
          name: drive.segments[count - 1],
          folder: {},
          "@microsoft.graph.conflictBehavior": "fail",
        }),
        what: "Creating the OneDrive folder",
        idempotent: true, // a repeat answers 409, which means the folder is there
      });
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 409)) throw error;
    }
  }
}

async function folderExists(graph: GraphContext, drive: DrivePaths, count: number) {
  try {
    const response = await graphRequest(graph, {
      method: "GET",
      url: `${drive.path(count)}?$select=id,name,folder`,
      what: "Looking for the OneDrive folder",
      idempotent: true,
    });
    if (getCaseInsensitive(JSON.parse(response.body), "folder") === undefined) {
      throw new ProtocolError(
        `"${drive.segments.slice(0, count).join("/")}" in OneDrive is a file, not a folder; ` +
          "choose another folder for shared files."
      );
    }
    return true;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return false;
    throw error;
  }
}

/** OneDrive's session host: by path, "rename" on a conflict, no Authorization to the upload URL. */
function driveHost(run: UploadRun, drive: DrivePaths, target: DriveTarget): SessionHost {
  const { file, options } = run;
  return {
    rules: DRIVE_RANGE_RULES,
    // Set: fixed. Unset: adaptive, decided in one place (drive-rules.ts).
    rangeSize: (samples) => options.driveChunkSize ?? adaptiveDriveRangeSize(samples),
    rangeTarget: { mailbox: target.drive, itemId: "" },
    createRefused: (error) => folderAfterRefusal(run.graph, drive, error),
    createCall: () => ({
      url: drive.under(drive.segments.length, file.name, "createUploadSession"),
      body: JSON.stringify({
        item: {
          "@microsoft.graph.conflictBehavior": "rename",
          name: file.name,
          // With the size, a file over the quota left is refused (507) before a byte is sent.
          fileSize: file.size,
        },
      }),
      what: "Creating the OneDrive upload session",
    }),
    canResume: (record, now) =>
      canResumeDrive(record, file, target, now, options.resumeSafetyMarginMs),
    // chunkSize: informational (the next range's size); resume follows the server's offset.
    record: (session, rangeSize) => createDriveResumeRecord(file, target, session, rangeSize),
    committedSince: (since) => storedSince(run, drive, since),
    unnamedMessage:
      "The upload to OneDrive finished but the server did not say which file it stored; look in the " +
      `OneDrive folder "${drive.segments.join("/")}" before sharing "${file.name}" again.`,
  };
}

/** Pages of the folder's children read when looking for what a lost last range stored. */
const MAX_CHILDREN_PAGES = 20;

/**
 * After a lost answer to the last range: the file this session stored, looked for among the
 * folder's children — under its own name or, as "rename" on a conflict makes it, "name 1.ext",
 * "name 2.ext", … — with this size, created since `since` (server clock, 2 s rounding). Of several,
 * the newest (then the highest number: a renamed copy is younger than the name it avoided). An
 * older file of the same name is never taken for it, and a renamed copy is not missed (which
 * would upload the file again as "name 2.ext").
 */
async function storedSince(
  run: UploadRun,
  drive: DrivePaths,
  since: number
): Promise<Completed | undefined> {
  run.phases.set("verifying");
  const serverSince = since + run.clockSkewMs - 2_000;
  const ours = renamedCopyPattern(run.file.name);
  let best: { item: StoredItem & { id: string }; created: number; copy: number } | undefined;
  const graphOrigin = new URL(drive.base).origin;
  let url: string | undefined =
    `${drive.under(drive.segments.length, undefined, "children")}` +
    "?$select=id,name,size,webUrl,createdDateTime,lastModifiedDateTime,file";
  for (let page = 0; url && page < MAX_CHILDREN_PAGES; page++) {
    let json: unknown;
    try {
      const response = await graphRequest(run.graph, {
        method: "GET",
        url,
        what: "Checking whether the last range stored the file",
        idempotent: true,
      });
      json = JSON.parse(response.body);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
    const children = getCaseInsensitive(json, "value");
    for (const child of Array.isArray(children) ? children : []) {
      const item = driveItemOf(JSON.stringify(child));
      const match = item && ours.exec(item.name);
      if (!item || !match || item.size !== run.file.size) continue;
      const stamp = (key: string) => Date.parse(String(getCaseInsensitive(child, key)));
      const created = Number.isNaN(stamp("createdDateTime"))
        ? stamp("lastModifiedDateTime")
        : stamp("createdDateTime");
      if (!(created >= serverSince)) continue;
      const copy = match[1] === undefined ? 0 : Number(match[1]);
      if (!best || created > best.created || (created === best.created && copy > best.copy)) {
        best = { item, created, copy };
      }
    }
    // Only a next page on the same Graph host: the token goes nowhere else.
    const next = getCaseInsensitive(json, "@odata.nextLink");
    url = typeof next === "string" && next.startsWith(`${graphOrigin}/`) ? next : undefined;
  }
  return best && { kind: "attached", attachmentId: best.item.id, item: best.item };
}

/** "report.pdf" → /^report(?: (\d+))?\.pdf$/i: the name itself or a copy "rename" made of it. */
export function renamedCopyPattern(name: string): RegExp {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escape(stem)}(?: (\\d+))?${escape(ext)}$`, "i");
}

/**
 * The scopes tried, in order: the one asked for, then only narrower ones — an anonymous link
 * refused becomes an organisation link, then a specific-people one; an organisation link becomes
 * a specific-people one; a specific-people link has nothing narrower. Never wider than asked.
 */
export function scopesToTry(scope: LinkScope): LinkScope[] {
  const narrowing: LinkScope[] = ["anonymous", "organization", "users"];
  return narrowing.slice(Math.max(0, narrowing.indexOf(scope)));
}

/**
 * The file is stored but has no link yet. A cancel (or pause) that lands before the link request
 * goes out removes the file again, so a cancelled share leaves nothing in OneDrive — and a paused
 * one, which starts over on resume (its session is done), leaves no "name 1" copy behind. A link
 * request already sent is let finish (finishInFlight): then the share is done, as an attachment is
 * once its last range is answered.
 */
async function linkOrRemove(
  graph: GraphContext,
  drive: DrivePaths,
  driveItemId: string,
  storedName: string,
  choice: LinkChoice
): Promise<SharedLink> {
  try {
    return await createLink(graph, drive, driveItemId, storedName, choice);
  } catch (error) {
    if (error instanceof AbortError) await removeStoredFile(graph, drive, driveItemId);
    throw error;
  }
}

/** DELETE the stored file, once, bounded by deleteTimeoutMs (the upload's own signal has fired). */
async function removeStoredFile(graph: GraphContext, drive: DrivePaths, driveItemId: string) {
  const { deleteTimeoutMs } = graph.options;
  const bounded: GraphContext = {
    ...graph,
    options: { ...graph.options, signal: AbortSignal.timeout(deleteTimeoutMs), retryDelays: [] },
  };
  try {
    await graphRequest(bounded, {
      method: "DELETE",
      url: `${drive.base}/items/${encodeURIComponent(driveItemId)}`,
      what: "Removing the cancelled file from OneDrive",
      idempotent: true,
    });
  } catch {
    // Best effort, like a session's DELETE on cancel: the cancel itself has happened.
  }
}

/**
 * createLink with the type and scope asked for; a 403 (the tenant's policy refuses that scope)
 * tries the next narrower scope. 200 (the link existed: a retry after a lost answer) is as good as
 * 201. No scope allowed: LinkRefusedError — the file stays in OneDrive under `storedName`.
 */
async function createLink(
  graph: GraphContext,
  drive: DrivePaths,
  driveItemId: string,
  storedName: string,
  choice: LinkChoice
): Promise<SharedLink> {
  const tried: LinkScope[] = [];
  let refused: HttpError | undefined;
  for (const scope of scopesToTry(choice.scope)) {
    tried.push(scope);
    try {
      const response = await graphRequest(graph, {
        method: "POST",
        url: `${drive.base}/items/${encodeURIComponent(driveItemId)}/createLink`,
        body: JSON.stringify({ type: choice.type, scope }),
        what: "Creating the sharing link",
        idempotent: true, // createLink answers 200 with the link it already made
        // The file is stored by now: a pause or cancel lets the link request finish (bounded by
        // deleteTimeoutMs) rather than leave a stored file without its link.
        finishInFlight: true,
      });
      return linkFrom(response.body, choice.type, scope, choice.scope);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 403)) throw error;
      refused = error;
    }
  }
  throw new LinkRefusedError(storedName, driveItemId, tried, refused!, { cause: refused });
}

function linkFrom(
  body: string,
  type: LinkType,
  scope: LinkScope,
  requested: LinkScope
): SharedLink {
  let link: unknown;
  try {
    link = getCaseInsensitive(JSON.parse(body), "link");
  } catch {
    link = undefined;
  }
  const webUrl = getCaseInsensitive(link, "webUrl");
  if (typeof webUrl !== "string" || !/^https?:\/\//i.test(webUrl)) {
    throw new ProtocolError("OneDrive answered createLink without a link address.");
  }
  const givenType = getCaseInsensitive(link, "type");
  const givenScope = getCaseInsensitive(link, "scope");
  const shared: SharedLink = {
    webUrl,
    type: givenType === "view" || givenType === "edit" ? givenType : type,
    scope:
      givenScope === "organization" || givenScope === "users" || givenScope === "anonymous"
        ? givenScope
        : scope,
  };
  return shared.scope === requested ? shared : { ...shared, requestedScope: requested };
}
