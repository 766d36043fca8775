// Command-line parsing for `large-attach` (node:util parseArgs). Bad usage → UsageError (exit 2).
import { parseArgs } from "node:util";

export const USAGE = `Usage:
  large-attach attach FILE... (--message ID | --event ID) [--user UPN] [--graph-url URL] (--token TOKEN | --token-env VAR)
                   [--chunk-size BYTES] [--concurrency N] [--stall-timeout SECONDS]
                   [--upload-origin ORIGIN]... [--json]
  large-attach --help

Attaches each FILE (up to 150 MB) to an Outlook message or event through Microsoft Graph
(a single request under 3 MB, an upload session above).

  --message ID       REST id of the message (draft) to attach to
  --event ID         REST id of the event to attach to
  --user UPN         mailbox: "me" (default) or a user id / UPN (shared or delegate mailbox)
  --graph-url URL    Graph base URL (default https://graph.microsoft.com/v1.0)
  --token TOKEN      Graph access token (prefer --token-env: command lines are visible to other users)
  --token-env VAR    read the Graph access token from environment variable VAR
  --chunk-size BYTES range size for upload sessions (default 3932160, at most 4194304)
  --concurrency N    files uploaded at the same time (default 3)
  --stall-timeout SECONDS
                     a request whose bytes stop moving this long is dropped and retried
                     (default 30); a silent answer after the last byte gets twice as long
  --upload-origin ORIGIN
                     also send upload ranges to this origin (repeatable; https, or http on a
                     loopback host such as the local emulator's). Outlook's and OneDrive's
                     upload hosts are always allowed; any other uploadUrl is refused
  --json             one JSON line per file on stdout
  -h, --help         show this help

Exit status: 0 when every file was attached, 1 when any failed, 2 for bad usage
(Ctrl+C cancels the uploads and deletes their sessions; a second Ctrl+C quits at once, status 130).`;

export class UsageError extends Error {
  override name = "UsageError";
}

export interface CliConfig {
  files: string[];
  itemKind: "message" | "event";
  itemId: string;
  mailbox: string;
  graphBaseUrl: string;
  token: string;
  chunkSize?: number;
  concurrency?: number;
  /** --stall-timeout in ms; the answer bound follows it (see attach). */
  stallTimeoutMs?: number;
  uploadOrigins: string[];
  json: boolean;
}

export type ParsedCommand = { kind: "help" } | { kind: "attach"; config: CliConfig };

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        message: { type: "string" },
        event: { type: "string" },
        user: { type: "string", default: "me" },
        "graph-url": { type: "string", default: "https://graph.microsoft.com/v1.0" },
        token: { type: "string" },
        "token-env": { type: "string" },
        "chunk-size": { type: "string" },
        concurrency: { type: "string" },
        "stall-timeout": { type: "string" },
        "upload-origin": { type: "string", multiple: true },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // parseArgs messages name the option, never its value — safe to show (no token echo).
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  const [command, ...files] = positionals;
  if (command !== "attach") {
    // Never repeat a word that might be a misplaced token.
    const known = command && /^[a-z-]{1,20}$/.test(command) ? ` "${command}"` : "";
    throw new UsageError(command ? `Unknown command${known}.` : "No command given.");
  }
  if (files.length === 0) throw new UsageError("No FILE given.");
  if ((values.message === undefined) === (values.event === undefined)) {
    throw new UsageError("Give exactly one of --message ID or --event ID.");
  }
  const itemId = (values.message ?? values.event)!;
  if (itemId.trim() === "") throw new UsageError("The item id is empty.");
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
  let graphBaseUrl = values["graph-url"]!;
  try {
    const url = new URL(graphBaseUrl);
    if (!/^https?:$/.test(url.protocol)) throw new Error();
  } catch {
    throw new UsageError("--graph-url must be an http(s) URL.");
  }
  graphBaseUrl = graphBaseUrl.replace(/\/+$/, "");
  return {
    kind: "attach",
    config: {
      files,
      itemKind: values.message !== undefined ? "message" : "event",
      itemId,
      mailbox: values.user!.trim() === "" ? "me" : values.user!,
      graphBaseUrl,
      token: token.trim(),
      chunkSize: positiveInt(values["chunk-size"], "--chunk-size", 4 * 1024 * 1024),
      concurrency: positiveInt(values.concurrency, "--concurrency", 64),
      stallTimeoutMs: stallTimeout(values["stall-timeout"]),
      uploadOrigins: (values["upload-origin"] ?? []).map(uploadOrigin),
      json: values.json ?? false,
    },
  };
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
