// The outcome classifier: every trial ends in exactly one acceptable state, or it fails.
//   ok   · attached: one attachment with the file's name on the item, its $value's SHA-256 equal to
//          the file's, the id the engine returned, and no upload session left open;
//   ok   · shared (a drive trial): the same of the one file in the OneDrive folder (the name or a
//          `rename` copy of it: two are a duplicate), with the link the engine returned;
//   ok   · a clear typed UploadError: no attachment with that name and no open session;
//   both only where the fault allows it: a transient one (a restart, a short stall) must attach;
//   fail · anything else: wrong bytes, a duplicate, a leftover session, a hang past the bound, an
//          unhandled rejection, an untyped error, an attachment despite an error, a leaked secret.
import { UploadError } from "../../src/upload";

export type Settled =
  /** attachmentId: the id of what was stored (a drive trial: the driveItem id). */
  | { kind: "attached"; attachmentId: string }
  | { kind: "error"; error: unknown }
  | { kind: "hang"; boundMs: number };

export interface TrialObservation {
  settled: Settled;
  expectedSha256: string;
  /** Attachments on the trial's item that carry the file's name, each with the SHA-256 of its $value. */
  attachments: { id: string; sha256: string }[];
  /** Upload sessions still open on the emulator for the trial's item. */
  openSessions: number;
  unhandledRejections: string[];
  /** Secrets (tokens, upload-URL authtokens) found in anything the engine said: error messages, phases. */
  leakedSecrets: string[];
  /** The first attempt failed with a resume record held, and the trial resumed it once. */
  resumed: boolean;
  /** Labels this trial may end in (a transient fault: only "attached"); any clean one when absent. */
  acceptable?: readonly string[];
  /** The label of a trial that went through: "attached" (default) or "shared" (a drive trial). */
  success?: string;
  /** A drive trial that was shared: the stored file lacks the link the engine returned. */
  linkMissing?: boolean;
}

export type FailureKind =
  | "corrupted"
  | "duplicate"
  | "leftover-session"
  | "hang"
  | "unhandled-rejection"
  | "untyped-error"
  | "attached-despite-error"
  | "missing-attachment"
  | "missing-link" // shared, but the stored file has no link with the address the engine returned
  | "leaked-secret"
  | "wrong-outcome" // a clean outcome, but not one this fault allows (a transient fault not attached)
  | "crash"; // the harness itself failed (setup, checks) — investigated like any other failure

export type Outcome =
  { ok: true; label: string } | { ok: false; label: FailureKind; problems: string[] };

export function classify(o: TrialObservation): Outcome {
  const problems: { kind: FailureKind; text: string }[] = [];
  const fail = (kind: FailureKind, text: string) => problems.push({ kind, text });

  if (o.settled.kind === "hang") fail("hang", `no outcome within ${o.settled.boundMs} ms`);
  for (const r of o.unhandledRejections) fail("unhandled-rejection", r);
  for (const s of o.leakedSecrets) fail("leaked-secret", s);
  if (o.attachments.length > 1)
    fail("duplicate", `${o.attachments.length} attachments or drive files with the file's name`);
  if (o.openSessions > 0) fail("leftover-session", `${o.openSessions} upload session(s) left open`);

  // What the texts call a stored copy: an attachment on the item, or a file in the OneDrive folder.
  const copies = o.success === "shared" ? "file(s) in the OneDrive folder" : "attachment(s)";
  let label = "hang";
  if (o.settled.kind === "attached") {
    const { attachmentId } = o.settled;
    const success = o.success ?? "attached";
    label = o.resumed ? `${success} after resume` : success;
    if (o.linkMissing)
      fail("missing-link", "the stored file has no link with the returned address");
    if (o.attachments.length === 0)
      fail("missing-attachment", `the engine reported success but there are no such ${copies}`);
    for (const a of o.attachments) {
      if (a.sha256 !== o.expectedSha256)
        fail("corrupted", `$value SHA-256 ${a.sha256} ≠ file ${o.expectedSha256}`);
    }
    if (o.attachments.length === 1 && o.attachments[0].id !== attachmentId) {
      fail(
        "missing-attachment",
        `the engine returned id ${attachmentId}, the item holds ${o.attachments[0].id}`
      );
    }
  } else if (o.settled.kind === "error") {
    const { error } = o.settled;
    if (!(error instanceof UploadError) || !error.message.trim()) {
      fail("untyped-error", `not a clear UploadError: ${String((error as Error)?.stack ?? error)}`);
      label = "untyped-error";
    } else {
      label = o.resumed ? `${error.name} after resume` : error.name;
    }
    if (o.attachments.length > 0)
      fail(
        "attached-despite-error",
        `${o.attachments.length} ${copies} although the engine reported ${label}`
      );
  }

  if (problems.length === 0 && o.acceptable && !o.acceptable.includes(label))
    fail("wrong-outcome", `${label}, where this fault allows only ${o.acceptable.join(" or ")}`);
  if (problems.length === 0) return { ok: true, label };
  return {
    ok: false,
    label: problems[0].kind,
    problems: problems.map((p) => `${p.kind}: ${p.text}`),
  };
}

/** Finds secrets in text: any of the given literal values (tokens, authtokens), or a Bearer credential. */
export function findSecrets(text: string, secrets: Iterable<string>): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.length >= 8 && text.includes(secret))
      found.push(`contains secret ${secret.slice(0, 4)}…`);
  }
  if (/Bearer\s+(?!\[redacted\])[A-Za-z0-9\-._~+/]{8,}/.test(text))
    found.push("contains a Bearer credential");
  if (/authtoken=(?!\[redacted\])[^&\s"']{4,}/i.test(text))
    found.push("contains an upload-URL authtoken");
  return found;
}
