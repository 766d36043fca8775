// What the CLI prints per FILE: one line on stdout for a file attached or shared, one on stderr
// for a failure (or, with --json, one JSON line on stdout either way). Nothing here can hold a
// token or an upload URL: engine error messages carry neither, and a sharing link is meant to be
// read.
import { basename } from "node:path";
import type { AttachResult, ShareResult, UploadError } from "../upload";
import { formatBytes } from "./progress";

/** What a failed file reports: messages of the engine's errors carry no token and no upload URL. */
export interface ErrorSummary {
  name: string;
  message: string;
  status?: number;
  code?: string;
}

export type Outcome = AttachResult | ShareResult | ErrorSummary;

/** For a shared file under `attach --share-over-limit`: whether its link went into the body. */
export interface BodyNote {
  added: boolean;
  item: "message" | "event";
}

export function summarize(error: UploadError | { name: string; message: string }): ErrorSummary {
  const { status, code } = error as { status?: unknown; code?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof status === "number" ? { status } : {}),
    ...(typeof code === "string" && code ? { code } : {}),
  };
}

export const isShared = (o: Outcome): o is ShareResult => "driveItemId" in o;
export const isAttached = (o: Outcome): o is AttachResult => "attachmentId" in o;

export interface Line {
  stream: "stdout" | "stderr";
  text: string;
}

export function outcomeLine(file: string, outcome: Outcome, json: boolean, body?: BodyNote): Line {
  if (isShared(outcome)) return sharedLine(file, outcome, json, body);
  if (isAttached(outcome)) {
    const { bytes, route, attachmentId, ms } = outcome;
    return {
      stream: "stdout",
      text: json
        ? `${JSON.stringify({ file, bytes, route, attachmentId, ms })}\n`
        : `✓ ${file} (${formatBytes(bytes)}, ${route}, ${ms} ms) attachment ${attachmentId}\n`,
    };
  }
  return json
    ? { stream: "stdout", text: `${JSON.stringify({ file, error: outcome })}\n` }
    : { stream: "stderr", text: `✗ ${file}: ${outcome.name}: ${outcome.message}\n` };
}

function sharedLine(file: string, result: ShareResult, json: boolean, body?: BodyNote): Line {
  const { bytes, route, driveItemId, itemWebUrl, link, ms } = result;
  if (json) {
    const line = {
      file,
      bytes,
      route,
      driveItemId,
      webUrl: itemWebUrl,
      link: {
        webUrl: link.webUrl,
        type: link.type,
        scope: link.scope,
        ...(link.requestedScope ? { requestedScope: link.requestedScope } : {}),
      },
      ms,
      ...(body ? { addedToBody: body.added } : {}),
    };
    return { stream: "stdout", text: `${JSON.stringify(line)}\n` };
  }
  // The fallback is said where the link is: the person sending it must know who can open it.
  const scope = link.requestedScope
    ? `${link.scope}: the tenant does not allow ${link.requestedScope} links`
    : link.scope;
  const added = body ? `, ${body.added ? "" : "NOT "}added to the ${body.item}` : "";
  // OneDrive renames on a conflict (conflictBehavior rename): say the name the recipients see.
  const as = result.name === basename(file) ? "" : ` as ${JSON.stringify(result.name)}`;
  return {
    stream: "stdout",
    text: `✓ ${file} (${formatBytes(bytes)}, drive, ${ms} ms) shared${as}${added}: ${link.webUrl} [${link.type} link, ${scope}]\n`,
  };
}

/** The closing line on stderr when there are several files (or anything was shared instead). */
export function summaryLine(
  outcomes: Iterable<Outcome>,
  total: number,
  verb: "attached" | "shared"
): string {
  const list = [...outcomes];
  const attached = list.filter(isAttached).length;
  const shared = list.filter(isShared).length;
  if (verb === "shared") return `${shared} of ${total} files shared.\n`;
  return shared > 0
    ? `${attached} of ${total} files attached, ${shared} shared as links.\n`
    : `${attached} of ${total} files attached.\n`;
}
