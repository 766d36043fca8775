// Command-line parsing for `large-attach attach|share` (node:util parseArgs). Bad usage → UsageError (exit 2).
import { parseArgs } from "node:util";
import {
  DEFAULT_SHARE_OPTIONS,
  DEFAULT_UPLOAD_OPTIONS,
  DRIVE_RANGE_LIMIT,
  DRIVE_RANGE_UNIT,
  type LinkChoice,
  type LinkScope,
  type LinkType,
} from "../upload";

export const USAGE = `Usage:
  large-attach attach FILE... (--message ID | --event ID) [--user UPN] [--graph-url URL] (--token TOKEN | --token-env VAR)
                   [--chunk-size BYTES] [--concurrency N] [--stall-timeout SECONDS]
                   [--upload-origin ORIGIN]... [--share-over-limit [--folder PATH]
                   [--link-type view|edit] [--link-scope organization|users|anonymous]] [--json]
  large-attach share FILE... [--user UPN] [--graph-url URL] (--token TOKEN | --token-env VAR)
                   [--folder PATH] [--link-type view|edit] [--link-scope organization|users|anonymous]
                   [--chunk-size BYTES] [--concurrency N] [--stall-timeout SECONDS]
                   [--upload-origin ORIGIN]... [--json]
  large-attach --help

attach: attaches each FILE (up to 150 MB) to an Outlook message or event through Microsoft Graph
(a single request under 3 MB, an upload session above).
share: uploads each FILE to a folder of the user's OneDrive and makes a sharing link for it.

  --message ID       REST id of the message (draft) to attach to
  --event ID         REST id of the event to attach to
  --user UPN         mailbox (and, for share, OneDrive): "me" (default) or a user id / UPN
  --graph-url URL    Graph base URL (default https://graph.microsoft.com/v1.0)
  --token TOKEN      Graph access token (prefer --token-env: command lines are visible to other users)
  --token-env VAR    read the Graph access token from environment variable VAR
  --chunk-size BYTES range size: attach, at most 4194304 (default 3932160); share, a multiple of
                     327680 under 60 MiB, at most 62586880 (default 10485760)
  --concurrency N    files uploaded at the same time (default 3)
  --stall-timeout SECONDS
                     a request whose bytes stop moving this long is dropped and retried
                     (default 30); a silent answer after the last byte gets twice as long
  --upload-origin ORIGIN
                     also send upload ranges to this origin (repeatable; https, or http on a
                     loopback host such as the local emulator's). Outlook's and OneDrive's
                     upload hosts are always allowed; any other uploadUrl is refused
  --share-over-limit attach: a FILE the item cannot take (over 150 MB, or refused by the tenant's
                     message size limit, even part-way) is shared instead, and its link is added
                     to the end of the item's body
  --folder PATH      OneDrive folder for shared files, under the root (default Attachments;
                     created when missing)
  --link-type TYPE   view (default) or edit
  --link-scope SCOPE organization (default), users (the people it is sent to), or anonymous
                     (anyone with the link); when the tenant refuses it, the link falls back to
                     one it allows (never to anonymous) and says so
  --json             one JSON line per file on stdout
  -h, --help         show this help

For testing against a local emulator (not needed in normal use):
  --retry-delays MS[,MS...]
                     the waits before each retry of a request, in ms, each with full jitter
                     (default ${DEFAULT_UPLOAD_OPTIONS.retryDelays.join(",")}): as many retries as values,
                     "" for none. The test suites shorten them, so a fault retried to the end
                     takes milliseconds instead of ~30 s of real backoff

Exit status: 0 when every file was attached (or shared), 1 when any failed, 2 for bad usage
(Ctrl+C cancels the uploads and deletes their sessions; a second Ctrl+C quits at once, status 130).`;

export class UsageError extends Error {
  override name = "UsageError";
}

/** What `attach` and `share` have in common. */
interface CommonConfig {
  files: string[];
  /** The mailbox (attach) and the OneDrive (share): "me" or a user id / UPN. */
  mailbox: string;
  graphBaseUrl: string;
  token: string;
  chunkSize?: number;
  concurrency?: number;
  /** --stall-timeout in ms; the answer bound follows it (see attach). */
  stallTimeoutMs?: number;
  /** --retry-delays: the engine's retryDelays (UploadOptions), when not its defaults. */
  retryDelays?: number[];
  uploadOrigins: string[];
  json: boolean;
}

/** Where shared files go and what link they get (--folder, --link-type, --link-scope). */
export interface ShareConfig {
  folder: string;
  link: LinkChoice;
}

export interface CliConfig extends CommonConfig {
  itemKind: "message" | "event";
  itemId: string;
  /** --share-over-limit: files the item cannot take are shared and linked in its body. */
  share?: ShareConfig;
}

export interface ShareCliConfig extends CommonConfig {
  share: ShareConfig;
}

export type ParsedCommand =
  | { kind: "help" }
  | { kind: "attach"; config: CliConfig }
  | { kind: "share"; config: ShareCliConfig };

const OPTIONS = {
  message: { type: "string" },
  event: { type: "string" },
  user: { type: "string", default: "me" },
  "graph-url": { type: "string", default: "https://graph.microsoft.com/v1.0" },
  token: { type: "string" },
  "token-env": { type: "string" },
  "chunk-size": { type: "string" },
  concurrency: { type: "string" },
  "stall-timeout": { type: "string" },
  "retry-delays": { type: "string" },
  "upload-origin": { type: "string", multiple: true },
  "share-over-limit": { type: "boolean", default: false },
  folder: { type: "string" },
  "link-type": { type: "string" },
  "link-scope": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // parseArgs messages name the option, never its value — safe to show (no token echo).
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  const [command, ...files] = positionals;
  if (command !== "attach" && command !== "share") {
    // Never repeat a word that might be a misplaced token.
    const known = command && /^[a-z-]{1,20}$/.test(command) ? ` "${command}"` : "";
    throw new UsageError(command ? `Unknown command${known}.` : "No command given.");
  }
  if (files.length === 0) throw new UsageError("No FILE given.");
  return command === "share" ? shareCommand(files, values, env) : attachCommand(files, values, env);
}

function attachCommand(files: string[], values: Values, env: NodeJS.ProcessEnv): ParsedCommand {
  if ((values.message === undefined) === (values.event === undefined)) {
    throw new UsageError("Give exactly one of --message ID or --event ID.");
  }
  const itemId = (values.message ?? values.event)!;
  if (itemId.trim() === "") throw new UsageError("The item id is empty.");
  const shareFlags = shareOptions(values);
  if (!values["share-over-limit"] && shareFlags.given) {
    throw new UsageError("--folder, --link-type and --link-scope go with --share-over-limit.");
  }
  return {
    kind: "attach",
    config: {
      ...commonConfig(
        files,
        values,
        env,
        positiveInt(values["chunk-size"], "--chunk-size", 4 * 1024 * 1024)
      ),
      itemKind: values.message !== undefined ? "message" : "event",
      itemId,
      ...(values["share-over-limit"] ? { share: shareFlags.share } : {}),
    },
  };
}

function shareCommand(files: string[], values: Values, env: NodeJS.ProcessEnv): ParsedCommand {
  if (values.message !== undefined || values.event !== undefined) {
    throw new UsageError("share takes no --message or --event (attach --share-over-limit does).");
  }
  if (values["share-over-limit"]) throw new UsageError("--share-over-limit goes with attach.");
  return {
    kind: "share",
    config: {
      ...commonConfig(files, values, env, driveChunkSize(values["chunk-size"])),
      share: shareOptions(values).share,
    },
  };
}

function commonConfig(
  files: string[],
  values: Values,
  env: NodeJS.ProcessEnv,
  chunkSize: number | undefined
): CommonConfig {
  let graphBaseUrl = values["graph-url"]!;
  try {
    const url = new URL(graphBaseUrl);
    if (!/^https?:$/.test(url.protocol)) throw new Error();
  } catch {
    throw new UsageError("--graph-url must be an http(s) URL.");
  }
  graphBaseUrl = graphBaseUrl.replace(/\/+$/, "");
  return {
    files,
    mailbox: values.user!.trim() === "" ? "me" : values.user!,
    graphBaseUrl,
    token: tokenOf(values, env),
    chunkSize,
    concurrency: positiveInt(values.concurrency, "--concurrency", 64),
    stallTimeoutMs: stallTimeout(values["stall-timeout"]),
    retryDelays: retryDelays(values["retry-delays"]),
    uploadOrigins: (values["upload-origin"] ?? []).map(uploadOrigin),
    json: values.json ?? false,
  };
}

function tokenOf(values: Values, env: NodeJS.ProcessEnv): string {
  if ((values.token === undefined) === (values["token-env"] === undefined)) {
    throw new UsageError("Give exactly one of --token TOKEN or --token-env VAR.");
  }
  let token = values.token;
  if (values["token-env"] !== undefined) {
    const name = values["token-env"];
    token = env[name];
    if (!token) {
      // A common slip is `--token-env "$TOKEN"` (the token itself instead of a variable name):
      // only a name that looks like one is repeated back, so the token is never echoed.
      const shown = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : "(given to --token-env)";
      throw new UsageError(`Environment variable ${shown} is not set or empty.`);
    }
  }
  if (!token || token.trim() === "") throw new UsageError("The token is empty.");
  return token.trim();
}

const LINK_TYPES: readonly LinkType[] = ["view", "edit"];
const LINK_SCOPES: readonly LinkScope[] = ["organization", "users", "anonymous"];

/** --folder, --link-type, --link-scope over the engine's defaults; `given` when any was. */
function shareOptions(values: Values): { share: ShareConfig; given: boolean } {
  const type = oneOf(values["link-type"], LINK_TYPES, "--link-type");
  const scope = oneOf(values["link-scope"], LINK_SCOPES, "--link-scope");
  return {
    share: {
      folder: folderPath(values.folder),
      link: {
        type: type ?? DEFAULT_SHARE_OPTIONS.link.type,
        scope: scope ?? DEFAULT_SHARE_OPTIONS.link.scope,
      },
    },
    given: values.folder !== undefined || type !== undefined || scope !== undefined,
  };
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")}.`);
  }
  return value as T;
}

/** A path under the drive's root: "/"-separated names, no empty, "." or ".." segment. */
function folderPath(value: string | undefined): string {
  if (value === undefined) return DEFAULT_SHARE_OPTIONS.folder;
  const segments = value.split("/").filter((s) => s !== "");
  if (segments.length === 0 || segments.some((s) => s === "." || s === ".." || s.trim() !== s)) {
    throw new UsageError(
      '--folder must be a path of folder names under the root, such as "Attachments/2026".'
    );
  }
  return segments.join("/");
}

/** A drive range: a multiple of 320 KiB, under 60 MiB (OneDrive's rules; the engine checks them too). */
function driveChunkSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const max = Math.floor((DRIVE_RANGE_LIMIT - 1) / DRIVE_RANGE_UNIT) * DRIVE_RANGE_UNIT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < DRIVE_RANGE_UNIT || n > max || n % DRIVE_RANGE_UNIT !== 0) {
    throw new UsageError(
      `--chunk-size for share must be a multiple of ${DRIVE_RANGE_UNIT} (320 KiB) from ${DRIVE_RANGE_UNIT} to ${max}.`
    );
  }
  return n;
}

function positiveInt(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from 1 to ${max}.`);
  }
  return Number(value);
}

/** Seconds, fractions allowed (tests use a fraction of a second), as ms. */
function stallTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0 || seconds > 3600) {
    throw new UsageError("--stall-timeout must be a number of seconds from 0.001 to 3600.");
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/** --retry-delays "0" … "250,500": whole ms from 0 to 60000, at most 20 of them; "" for none. */
function retryDelays(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") return [];
  const delays = value.split(",").map((v) => v.trim());
  if (delays.length > 20 || !delays.every((d) => /^\d+$/.test(d) && Number(d) <= 60_000)) {
    throw new UsageError(
      "--retry-delays must be up to 20 comma-separated whole numbers of ms from 0 to 60000."
    );
  }
  return delays.map(Number);
}

/** An origin as the engine's allow-list takes it: https://host[:port], or http on a loopback host. */
function uploadOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError("--upload-origin must be an origin such as https://upload.example.com.");
  }
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new UsageError("--upload-origin must be https (or http on a loopback host).");
  }
  return url.origin;
}
