// Offline checks of manifest.json (the unified manifest for Microsoft 365): the official JSON schema that
// @microsoft/app-manifest bundles (newest version), validated with a real draft-04 validator; then what a
// schema cannot see — URLs that must be https and point at files the build emits, actionIds that must
// resolve, icon files of the right size and colour, the Send guard's declarations — and that manifest.xml
// and manifest.json agree on everything they share. Like manifest-checks.ts, every function returns all
// the problems it finds, so a test can assert both "clean" and "this breaks".
import { readdirSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { parseXml, type ManifestProblem, type XmlElement } from "./manifest-checks";
import { readPngInfo, readRgba } from "./png";

export type { ManifestProblem };

const SCHEMA_ROOT = path.join(
  path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
  "build/json-schemas/teams"
);

/** The newest numbered schema the package ships (vDevPreview is a preview, not a version). */
export function newestSchemaVersion(root = SCHEMA_ROOT): string {
  const versions = readdirSync(root)
    .filter((name) => /^v\d+\.\d+$/.test(name))
    .map((name) => name.slice(1));
  const key = (v: string) => v.split(".").map(Number);
  versions.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
  return versions[versions.length - 1];
}

let compiled: { version: string; validate: ReturnType<Ajv["compile"]> } | undefined;

function schemaValidator(version: string) {
  if (compiled?.version === version) return compiled.validate;
  const schema = require(path.join(SCHEMA_ROOT, `v${version}`, "MicrosoftTeams.schema.json"));
  // strictTypes off: the official schema puts keywords like additionalProperties beside $ref without a
  // "type"; that is legal draft-04, which ajv's strict mode would only warn about.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  compiled = { version, validate: ajv.compile(schema) };
  return compiled.validate;
}

export interface UnifiedExpectations {
  /** Paths (relative to dist/) the build emits; URLs at the add-in's origin must map onto them. */
  emittedFiles: ReadonlySet<string>;
  /** Reads a file the build emits (for icon sizes), by its dist/ path; undefined when absent. */
  readEmitted(file: string): Buffer | undefined;
  /** Reads a file of the app package (icons.color, icons.outline), by the path the manifest names. */
  readPackageFile(file: string): Buffer | undefined;
  schemaVersion: string;
  mailboxMinVersion: string;
  contexts: readonly string[];
  resourceSpecificPermissions: readonly string[];
  /** autoRunEvents type → the action it runs and its sendMode. */
  sendEvents: Readonly<Record<string, { actionId: string; sendMode: string }>>;
  /** The lowest Mailbox requirement set that has those events. */
  sendEventsMinVersion: string;
  /** The ids the Send guard names as Smart Alerts commandId: each must be a task-pane button on its context. */
  sendGuardPaneButtons?: readonly { context: string; id: string }[];
}

type Report = (rule: string, message: string) => void;

type Json = any;

export function checkUnifiedManifest(
  manifest: Json,
  expect: UnifiedExpectations
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const report: Report = (rule, message) => problems.push({ rule, message });
  checkSchema(manifest, expect.schemaVersion, report);
  const extension = manifest?.extensions?.[0];
  if (!extension) {
    report("extensions", "manifest.json has no extensions[0] (the Outlook add-in)");
    return problems;
  }
  checkActions(extension, report);
  checkUrls(manifest, expect, report);
  checkAppIcons(manifest, expect, report);
  checkRibbonIcons(extension, expect, report);
  checkRequirements(extension, expect, report);
  checkSurfaces(extension, expect, report);
  checkPermissions(manifest, expect, report);
  checkSendGuard(extension, expect, report);
  return problems;
}

function checkSchema(manifest: Json, version: string, report: Report): void {
  if (manifest?.manifestVersion !== version)
    report("schema", `manifestVersion is ${manifest?.manifestVersion}, expected ${version}`);
  const url = `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;
  if (manifest?.$schema !== url) report("schema", `$schema must be ${url}`);
  const validate = schemaValidator(version);
  if (validate(manifest)) return;
  for (const error of validate.errors ?? []) {
    const where = error.instancePath || "/";
    const extra = (error.params as { additionalProperty?: string }).additionalProperty;
    report("schema", `${where}: ${error.message}${extra ? ` ("${extra}")` : ""}`);
  }
}

const runtimesOf = (extension: Json): Json[] => extension.runtimes ?? [];
const actionsOf = (extension: Json): Json[] =>
  runtimesOf(extension).flatMap((runtime) => runtime.actions ?? []);
const controlsOf = (extension: Json): Json[] =>
  (extension.ribbons ?? [])
    .flatMap((ribbon: Json) => ribbon.tabs ?? [])
    .flatMap((tab: Json) => tab.groups ?? [])
    .flatMap((group: Json) => group.controls ?? []);
const eventsOf = (extension: Json): Json[] =>
  (extension.autoRunEvents ?? []).flatMap((entry: Json) => entry.events ?? []);

function checkActions(extension: Json, report: Report): void {
  const ids = new Set<string>();
  for (const action of actionsOf(extension)) {
    if (ids.has(action.id))
      report("action-ids", `action id "${action.id}" is defined more than once`);
    ids.add(action.id);
  }
  const users = [
    ...controlsOf(extension).flatMap((control) => [control, ...(control.items ?? [])]),
    ...eventsOf(extension),
  ];
  for (const user of users) {
    if (user.actionId !== undefined && !ids.has(user.actionId)) {
      const who = user.type && user.label ? `control "${user.id}"` : `event "${user.type}"`;
      report("action-ids", `${who} names actionId "${user.actionId}", which no runtime defines`);
    }
  }
}

// Every absolute URL in the manifest is https; those the add-in serves use one origin and map onto a file.
function checkUrls(manifest: Json, expect: UnifiedExpectations, report: Report): void {
  const served = new Set<string>();
  for (const [where, value] of strings(manifest, "")) {
    if (where === "/$schema" || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
    const url = new URL(value);
    if (url.protocol !== "https:") {
      report("urls", `${where} must be https: ${value}`);
      continue;
    }
    served.add(url.origin);
    const file = decodeURIComponent(url.pathname.replace(/^\/+/, ""));
    if (!expect.emittedFiles.has(file))
      report("urls", `${where} points at ${url.pathname}, which the build does not emit`);
  }
  if (served.size > 1)
    report("urls", `URLs use ${served.size} origins (${[...served].join(", ")}); use one host`);
}

function* strings(node: Json, where: string): Generator<[string, string]> {
  if (typeof node === "string") yield [where, node];
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) yield* strings(value, `${where}/${key}`);
  }
}

const APP_ICONS = { color: 192, outline: 32 } as const;

function checkAppIcons(manifest: Json, expect: UnifiedExpectations, report: Report): void {
  for (const [kind, size] of Object.entries(APP_ICONS)) {
    const file = manifest?.icons?.[kind];
    if (typeof file !== "string") continue; // the schema reports it
    const png = expect.readPackageFile(file);
    const info = png && readPngInfo(png);
    if (!png || !info) {
      report("icons", `icons.${kind} "${file}" is ${png ? "not a PNG" : "not in the app package"}`);
      continue;
    }
    if (info.width !== size || info.height !== size) {
      report(
        "icons",
        `icons.${kind} "${file}" is ${info.width}×${info.height}; the unified manifest needs ${size}×${size}`
      );
    }
    if (kind === "outline") checkWhiteOnTransparent(file, png, report);
  }
}

// The outline icon is drawn in white on a transparent background (Microsoft 365 tints it).
function checkWhiteOnTransparent(file: string, png: Buffer, report: Report): void {
  let pixels: Uint8Array;
  try {
    pixels = readRgba(png).pixels;
  } catch (error) {
    report("icons", `icons.outline "${file}": ${(error as Error).message}`);
    return;
  }
  let drawn = 0;
  let coloured = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] === 0) continue;
    drawn++;
    if (Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) < 240) coloured++;
  }
  const transparent = pixels.length / 4 - drawn;
  if (coloured > 0)
    report("icons", `icons.outline "${file}" has ${coloured} pixels that are not white`);
  if (drawn === 0 || transparent === 0)
    report("icons", `icons.outline "${file}" must be a white glyph on a transparent background`);
}

function checkRibbonIcons(extension: Json, expect: UnifiedExpectations, report: Report): void {
  for (const control of controlsOf(extension)) {
    for (const icon of control.icons ?? []) {
      const file = safePath(icon.url);
      const png = file === undefined ? undefined : expect.readEmitted(file);
      const info = png && readPngInfo(png);
      if (!info) continue; // a missing file is reported by checkUrls
      if (info.width !== icon.size || info.height !== icon.size) {
        report(
          "icons",
          `control "${control.id}" names ${file} as ${icon.size} px; it is ${info.width}×${info.height}`
        );
      }
    }
  }
}

function safePath(url: unknown): string | undefined {
  try {
    return decodeURIComponent(new URL(String(url)).pathname.replace(/^\/+/, ""));
  } catch {
    return undefined;
  }
}

const mailboxVersion = (requirements: Json): string | undefined =>
  requirements?.capabilities?.find((c: Json) => c.name === "Mailbox")?.minVersion;
const versionKey = (v: string | undefined) => (v ?? "0").split(".").map(Number);
const atLeast = (v: string | undefined, min: string) => {
  const [a, b] = [versionKey(v), versionKey(min)];
  return a[0] > b[0] || (a[0] === b[0] && (a[1] ?? 0) >= (b[1] ?? 0));
};

function checkRequirements(extension: Json, expect: UnifiedExpectations, report: Report): void {
  const scopes = extension.requirements?.scopes;
  if (JSON.stringify(scopes) !== JSON.stringify(["mail"]))
    report("requirements", `extension scopes are ${JSON.stringify(scopes)}, expected ["mail"]`);
  const version = mailboxVersion(extension.requirements);
  if (version !== expect.mailboxMinVersion) {
    report(
      "requirements",
      `extension Mailbox requirement is ${version ?? "missing"}, expected ${expect.mailboxMinVersion}`
    );
  }
}

function checkSurfaces(extension: Json, expect: UnifiedExpectations, report: Report): void {
  const actions = new Map(actionsOf(extension).map((action) => [action.id, action]));
  for (const context of expect.contexts) {
    const ribbons = (extension.ribbons ?? []).filter((r: Json) => r.contexts?.includes(context));
    const opensPane = ribbons.some((ribbon: Json) =>
      (ribbon.tabs ?? [])
        .flatMap((tab: Json) => tab.groups ?? [])
        .flatMap((group: Json) => group.controls ?? [])
        .some((control: Json) => actions.get(control.actionId)?.type === "openPage")
    );
    if (!opensPane) report("surfaces", `no ribbon button on ${context} opens the task pane`);
  }
  for (const { context, id } of expect.sendGuardPaneButtons ?? []) {
    const named = (extension.ribbons ?? [])
      .filter((r: Json) => r.contexts?.includes(context))
      .flatMap((r: Json) => r.tabs ?? [])
      .flatMap((tab: Json) => tab.groups ?? [])
      .flatMap((group: Json) => group.controls ?? [])
      .filter((control: Json) => control.id === id);
    if (!named.some((control: Json) => actions.get(control.actionId)?.type === "openPage"))
      report(
        "send-guard",
        `the Send guard names "${id}" (Smart Alerts commandId), which is no task-pane button on ${context}`
      );
  }
}

function checkPermissions(manifest: Json, expect: UnifiedExpectations, report: Report): void {
  const declared: Json[] = manifest?.authorization?.permissions?.resourceSpecific ?? [];
  const names = declared.map((p) => p.name).sort();
  const wanted = [...expect.resourceSpecificPermissions].sort();
  if (JSON.stringify(names) !== JSON.stringify(wanted)) {
    report(
      "permissions",
      `resource-specific permissions are ${JSON.stringify(names)}, expected ${JSON.stringify(wanted)}`
    );
  }
  for (const permission of declared) {
    if (permission.type !== "Delegated")
      report("permissions", `${permission.name} must be Delegated, is ${permission.type}`);
  }
}

// The Send guard: each send event runs its handler with its send mode, in a runtime that has both the
// HTML page (web, new Outlook, Mac) and the script (classic Windows) and requires the events' Mailbox set.
function checkSendGuard(extension: Json, expect: UnifiedExpectations, report: Report): void {
  for (const [type, { actionId, sendMode }] of Object.entries(expect.sendEvents)) {
    const entries = (extension.autoRunEvents ?? []).filter((entry: Json) =>
      (entry.events ?? []).some((event: Json) => event.type === type)
    );
    const event = entries.flatMap((e: Json) => e.events).find((e: Json) => e.type === type);
    if (!event) {
      report("send-guard", `no autoRunEvents entry for ${type}`);
      continue;
    }
    if (event.actionId !== actionId)
      report("send-guard", `${type} runs ${event.actionId}, expected ${actionId}`);
    if (event.options?.sendMode !== sendMode)
      report("send-guard", `${type} has sendMode ${event.options?.sendMode}, expected ${sendMode}`);
    if (!atLeast(mailboxVersion(entries[0].requirements), expect.sendEventsMinVersion)) {
      report(
        "send-guard",
        `the autoRunEvents entry for ${type} must require Mailbox ${expect.sendEventsMinVersion}`
      );
    }
    const runtime = runtimesOf(extension).find((r) =>
      (r.actions ?? []).some((a: Json) => a.id === event.actionId)
    );
    const action = runtime?.actions.find((a: Json) => a.id === event.actionId);
    if (!runtime) continue; // checkActions reports the dangling id
    if (action.type !== "executeFunction")
      report("send-guard", `action ${action.id} must be executeFunction, is ${action.type}`);
    if (!runtime.code?.script)
      report("send-guard", `runtime ${runtime.id} needs code.script (classic Outlook on Windows)`);
    if (!atLeast(mailboxVersion(runtime.requirements), expect.sendEventsMinVersion))
      report(
        "send-guard",
        `runtime ${runtime.id} must require Mailbox ${expect.sendEventsMinVersion}`
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// Agreement between manifest.xml and manifest.json.

/** What manifest.xml says about the things manifest.json must say too. */
export interface XmlSummary {
  id: string;
  version: string;
  surfaces: string[];
  taskpaneUrls: string[];
  buttonIconUrls: string[];
  permissions: string;
  sharedFolders: boolean;
  appDomainHosts: string[];
  mailboxMinVersion: string | undefined;
  supportUrl: string | undefined;
  launchEvents: { type: string; functionName: string; sendMode: string }[];
  runtimePage: string | undefined;
  runtimeScript: string | undefined;
}

function* walk(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const child of element.children) yield* walk(child);
}

export function summarizeXml(xml: string): XmlSummary {
  const root = parseXml(xml);
  const all = [...walk(root)];
  const named = (name: string) => all.filter((e) => e.name === name);
  const text = (name: string) => root.children.find((e) => e.name === name)?.text;
  const urls = new Map(named("bt:Url").map((u) => [u.attrs.id, u.attrs.DefaultValue]));
  const images = new Map(
    named("bt:Image")
      .filter((i) => i.attrs.id)
      .map((i) => [i.attrs.id, i.attrs.DefaultValue])
  );
  const points = named("ExtensionPoint");
  const commandPoints = points.filter((p) => p.attrs["xsi:type"] !== "LaunchEvent");
  const runtime = named("Runtime")[0];
  return {
    id: text("Id") ?? "",
    version: text("Version") ?? "",
    surfaces: commandPoints.map((p) => p.attrs["xsi:type"]),
    taskpaneUrls: [
      ...new Set(
        commandPoints
          .flatMap((p) => [...walk(p)])
          .filter((e) => e.name === "SourceLocation")
          .map((e) => urls.get(e.attrs.resid) ?? "")
      ),
    ],
    buttonIconUrls: [
      ...new Set(
        commandPoints
          .flatMap((p) => [...walk(p)])
          .filter((e) => e.name === "bt:Image")
          .map((e) => images.get(e.attrs.resid) ?? "")
      ),
    ].sort(),
    permissions: text("Permissions") ?? "",
    sharedFolders: named("SupportsSharedFolders")[0]?.text === "true",
    appDomainHosts: named("AppDomain").map((d) => new URL(d.text).host),
    mailboxMinVersion: named("bt:Sets")[0]?.attrs.DefaultMinVersion,
    supportUrl: root.children.find((e) => e.name === "SupportUrl")?.attrs.DefaultValue,
    launchEvents: named("LaunchEvent").map((e) => ({
      type: e.attrs.Type,
      functionName: e.attrs.FunctionName,
      sendMode: e.attrs.SendMode,
    })),
    runtimePage: runtime && urls.get(runtime.attrs.resid),
    runtimeScript:
      runtime && urls.get(runtime.children.find((c) => c.name === "Override")?.attrs.resid ?? ""),
  };
}

// The XML names for what the unified manifest calls otherwise.
const CONTEXT_OF_SURFACE: Record<string, string> = {
  MessageComposeCommandSurface: "mailCompose",
  AppointmentOrganizerCommandSurface: "meetingDetailsOrganizer",
};
const EVENT_OF_LAUNCH_EVENT: Record<string, string> = {
  OnMessageSend: "messageSending",
  OnAppointmentSend: "appointmentSending",
};
const SEND_MODE: Record<string, string> = {
  PromptUser: "promptUser",
  SoftBlock: "softBlock",
  Block: "block",
};
const PERMISSION: Record<string, string> = {
  ReadItem: "MailboxItem.Read.User",
  ReadWriteItem: "MailboxItem.ReadWrite.User",
  ReadWriteMailbox: "Mailbox.ReadWrite.User",
};
const SHARED_FOLDERS = "Mailbox.AccessSharedFolders.User";

export function checkManifestsAgree(xml: string, manifest: Json): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const differ = (what: string, inXml: unknown, inJson: unknown) => {
    if (JSON.stringify(inXml) !== JSON.stringify(inJson)) {
      problems.push({
        rule: "agreement",
        message: `${what}: manifest.xml says ${JSON.stringify(inXml)}, manifest.json says ${JSON.stringify(inJson)}`,
      });
    }
  };
  const x = summarizeXml(xml);
  const extension = manifest?.extensions?.[0] ?? {};
  const actions = new Map(actionsOf(extension).map((a) => [a.id, a]));
  const runtimeOf = (actionId: string) =>
    runtimesOf(extension).find((r) => (r.actions ?? []).some((a: Json) => a.id === actionId));
  const buttons = controlsOf(extension).filter((c) => actions.get(c.actionId)?.type === "openPage");

  differ("version", x.version, `${manifest?.version}.0`);
  differ(
    "surfaces",
    x.surfaces.map((s) => CONTEXT_OF_SURFACE[s] ?? s).sort(),
    [...new Set((extension.ribbons ?? []).flatMap((r: Json) => r.contexts ?? []))].sort()
  );
  differ("task pane page", x.taskpaneUrls, [
    ...new Set(buttons.map((b) => runtimeOf(b.actionId)?.code?.page)),
  ]);
  differ(
    "button icons",
    x.buttonIconUrls,
    [...new Set(buttons.flatMap((b) => (b.icons ?? []).map((i: Json) => i.url)))].sort()
  );
  const permissions = (manifest?.authorization?.permissions?.resourceSpecific ?? []).map(
    (p: Json) => p.name
  );
  differ(
    "item permission",
    PERMISSION[x.permissions] ?? x.permissions,
    permissions.find((p: string) => p.startsWith("Mailbox") && p !== SHARED_FOLDERS) ?? null
  );
  differ("shared folders", x.sharedFolders, permissions.includes(SHARED_FOLDERS));
  differ(
    "sign-in domains",
    x.appDomainHosts,
    x.appDomainHosts.filter((h) => (manifest?.validDomains ?? []).includes(h))
  );
  differ("Mailbox requirement", x.mailboxMinVersion, mailboxVersion(extension.requirements));
  differ("support page", x.supportUrl, manifest?.developer?.websiteUrl);
  differ(
    "hidden XML add-in",
    x.id,
    extension.alternates?.[0]?.hide?.customOfficeAddin?.officeAddinId
  );
  if (x.id === manifest?.id)
    problems.push({
      rule: "agreement",
      message: "manifest.json must have its own id, not the XML add-in's",
    });
  differ(
    "send events",
    x.launchEvents
      .map((e) => ({
        type: EVENT_OF_LAUNCH_EVENT[e.type] ?? e.type,
        actionId: e.functionName,
        sendMode: SEND_MODE[e.sendMode] ?? e.sendMode,
      }))
      .sort(byType),
    eventsOf(extension)
      .map((e) => ({ type: e.type, actionId: e.actionId, sendMode: e.options?.sendMode }))
      .sort(byType)
  );
  const sendRuntime = runtimeOf(eventsOf(extension)[0]?.actionId);
  differ("send guard page", x.runtimePage, sendRuntime?.code?.page);
  differ("send guard script", x.runtimeScript, sendRuntime?.code?.script);
  return problems;
}

const byType = (a: { type: string }, b: { type: string }) => a.type.localeCompare(b.type);
