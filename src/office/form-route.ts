// The compose form's own attach API (addFileAttachmentFromBase64Async, Mailbox 1.8) for the files it can take:
// an attachment the form adds is in the form's own copy of the item, so it shows at once and no later save of
// the form can drop it. Graph upload sessions carry the rest. Sizes are from Microsoft's documentation:
// - the Base64 string is limited to 27,892,122 characters (limits page, "about 25 MB"; @types/office-js says
//   34,865,152 — we keep the stricter), i.e. 20,919,090 bytes of file;
// - Outlook on the web and new Outlook limit all attachments added to an item to 25 MB; classic Outlook on
//   Windows and Outlook on Mac leave it to the Exchange server (the pane's tenant limit check covers that).
// Source: https://learn.microsoft.com/office/dev/add-ins/outlook/limits-for-activation-and-javascript-api-for-outlook-add-ins
import { asyncResultToPromise } from "./async-result";
import type { ComposeTarget } from "./compose-target";
import { OfficeCallError } from "./errors";
import { currentItem, isSetSupported, platformName, type OfficeLike } from "./office-types";

export const FORM_BASE64_MAX_CHARS = 27_892_122;
/** Largest file whose Base64 text fits FORM_BASE64_MAX_CHARS. */
export const FORM_FILE_MAX_BYTES = Math.floor(FORM_BASE64_MAX_CHARS / 4) * 3; // 20,919,090
/** Outlook on the web / new Outlook: all attachments of one item. */
export const WEB_ITEM_ATTACHMENTS_MAX_BYTES = 25 * 1024 * 1024;
/** Graph refuses createUploadSession for delegated access to shared mailboxes (known issue): 3 MB and up. */
export const SHARED_MAILBOX_GRAPH_MAX_BYTES = 3 * 1024 * 1024;

/** Office error names after which the form will not take the file, so Graph should. */
const FORM_REFUSALS = new Set([
  "AttachmentSizeExceeded",
  "NumberOfAttachmentsExceeded",
  "FileTypeNotSupported",
]);

export interface FormFile {
  readonly name: string;
  readonly size: number;
  slice(start?: number, end?: number): Blob;
}

/** Thrown by plan() for a file no route can take here; `reason` is what the pane explains. */
export class FormRouteRefusal extends Error {
  readonly reason = "shared-mailbox-large" as const;
  constructor(name: string) {
    super(
      `"${name}" is 3 MB or more and the item is in a shared mailbox: Microsoft Graph refuses upload sessions ` +
        "there with delegated permissions (known issue), and the compose form cannot take a file this large."
    );
    this.name = "FormRouteRefusal";
  }
}

export type FormPlan = "form" | "graph";

export interface ComposeFormRoute {
  /** "form" or "graph" for this file; throws FormRouteRefusal when neither can take it. */
  plan(file: FormFile): FormPlan;
  /** Attaches through the form; null when the form refused it (the caller then uses Graph). */
  attach(file: FormFile, signal?: AbortSignal): Promise<{ attachmentId: string } | null>;
}

/** Which Outlook family decides the limits (diagnostics.platform: OfficeOnline = web and new Outlook). */
export function formClient(office: OfficeLike): "web" | "classic" | "mac" | "none" {
  const item = currentItem(office) as { addFileAttachmentFromBase64Async?: unknown } | undefined;
  if (typeof item?.addFileAttachmentFromBase64Async !== "function") return "none";
  if (!isSetSupported(office, "Mailbox", "1.8")) return "none";
  const platform = platformName(office);
  if (platform === "OfficeOnline") return "web";
  if (platform === "PC") return "classic";
  if (platform === "Mac") return "mac";
  return "none"; // iOS/Android: not offered there
}

export function createComposeFormRoute(
  office: OfficeLike,
  target: Pick<ComposeTarget, "isShared">,
  options: { timeoutMs?: number } = {}
): ComposeFormRoute {
  const client = formClient(office);
  let addedThroughForm = 0; // bytes this pane added to the form (web: 25 MB per item)
  return {
    plan(file) {
      const fits =
        client !== "none" &&
        file.size <= FORM_FILE_MAX_BYTES &&
        (client !== "web" || addedThroughForm + file.size <= WEB_ITEM_ATTACHMENTS_MAX_BYTES);
      if (fits) return "form";
      if (target.isShared && file.size >= SHARED_MAILBOX_GRAPH_MAX_BYTES)
        throw new FormRouteRefusal(file.name);
      return "graph";
    },
    async attach(file, signal) {
      const base64 = await readBase64(file, signal);
      try {
        const attachmentId = await withTimeout(
          addThroughForm(office, base64, file.name),
          options.timeoutMs ?? 120_000,
          signal
        );
        addedThroughForm += file.size;
        return { attachmentId };
      } catch (error) {
        if (error instanceof OfficeCallError && FORM_REFUSALS.has(String(error.officeName)))
          return null;
        throw error;
      }
    },
  };
}

function addThroughForm(office: OfficeLike, base64: string, name: string): Promise<string> {
  const item = currentItem(office) as {
    addFileAttachmentFromBase64Async: (
      base64: string,
      name: string,
      options: { isInline: boolean },
      callback: (result: Office.AsyncResult<string>) => void
    ) => void;
  };
  return asyncResultToPromise<string>("addFileAttachmentFromBase64Async", (cb) =>
    item.addFileAttachmentFromBase64Async(base64, name, { isInline: false }, cb)
  );
}

/** Base64 of the whole file, read in slices of a multiple of 3 bytes so the pieces join without padding. */
export async function readBase64(file: FormFile, signal?: AbortSignal): Promise<string> {
  const SLICE = 3 * 1024 * 1024;
  const parts: string[] = [];
  for (let offset = 0; offset < file.size; offset += SLICE) {
    signal?.throwIfAborted();
    const slice = file.slice(offset, offset + SLICE);
    if (typeof FileReader === "function") {
      parts.push(await dataUrlBase64(slice)); // native in the browser, much faster than btoa over a string
      continue;
    }
    const bytes = new Uint8Array(await slice.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    parts.push(btoa(binary));
  }
  return parts.join("");
}

/** FileReader's data URL minus its "data:…;base64," prefix (the API wants the bare Base64). */
function dataUrlBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** An Office call that never calls back must not hold the row forever. */
function withTimeout<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new OfficeCallError("addFileAttachmentFromBase64Async", { name: "Timeout" })),
      ms
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      }
    );
  });
}
