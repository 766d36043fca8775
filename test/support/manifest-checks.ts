// An offline stand-in for the parts of Microsoft's (online-only) manifest validation that catch real
// mistakes: element order, unresolved resids, non-https or dangling URLs, duplicate ids, requirement sets,
// command surfaces. It returns every problem it finds, so tests can assert both "clean" and "this breaks".
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";

export interface ManifestProblem {
  rule: string;
  message: string;
}

export interface ManifestExpectations {
  /** Paths (relative to dist/, "/" separated) that the build emits; page and icon URLs must map onto them. */
  emittedFiles: ReadonlySet<string>;
  mailboxMinVersion: string;
  extensionPoints: readonly string[];
  permissions: "Restricted" | "ReadItem" | "ReadWriteItem" | "ReadWriteMailbox";
  /** Event-based activation (Smart Alerts): each expected LaunchEvent Type with its handler and SendMode. */
  launchEvents?: Readonly<Record<string, { functionName: string; sendMode: string }>>;
  /** The ids the Send guard names as Smart Alerts commandId: each must be a task-pane button on its surface. */
  sendGuardPaneButtons?: readonly { surface: string; id: string }[];
}

/** One XML element, attributes and children in document order (comments kept as "#comment" nodes). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

// OfficeApp (base schema) followed by the MailApp extension, in schema order.
const TOP_LEVEL_ORDER = [
  "Id",
  "AlternateId",
  "Version",
  "ProviderName",
  "DefaultLocale",
  "DisplayName",
  "Description",
  "IconUrl",
  "HighResolutionIconUrl",
  "SupportUrl",
  "AppDomains",
  "Hosts",
  "Requirements",
  "FormSettings",
  "Permissions",
  "Rule",
  "DisableEntityHighlighting",
  "VersionOverrides",
];
const TOP_LEVEL_REQUIRED = [
  "Id",
  "Version",
  "ProviderName",
  "DefaultLocale",
  "DisplayName",
  "Description",
  "FormSettings",
  "Permissions",
  "Rule",
];
// Inside VersionOverrides (mail 1.0 and 1.1): Description, Requirements, Hosts, Resources, then the
// optional trailing elements (nested VersionOverrides, WebApplicationInfo, ExtendedPermissions) in any order.
const VERSION_OVERRIDES_RANK: Record<string, number> = {
  Description: 0,
  Requirements: 1,
  Hosts: 2,
  Resources: 3,
  VersionOverrides: 4,
  WebApplicationInfo: 4,
  ExtendedPermissions: 4,
};
// MailHost: the event runtimes come before the form factors.
const MAIL_HOST_RANK: Record<string, number> = {
  Runtimes: 0,
  DesktopFormFactor: 1,
  MobileFormFactor: 2,
};
const DESKTOP_FORM_FACTOR_RANK: Record<string, number> = {
  SupportsSharedFolders: 0,
  FunctionFile: 1,
  ExtensionPoint: 2,
};

const NS = {
  officeApp: "http://schemas.microsoft.com/office/appforoffice/1.1",
  vo10: "http://schemas.microsoft.com/office/mailappversionoverrides",
  vo11: "http://schemas.microsoft.com/office/mailappversionoverrides/1.1",
};

type ResourceKind = "Images" | "Urls" | "ShortStrings" | "LongStrings";
const RESOURCE_CONTAINERS: Record<string, ResourceKind> = {
  "bt:Images": "Images",
  "bt:Urls": "Urls",
  "bt:ShortStrings": "ShortStrings",
  "bt:LongStrings": "LongStrings",
};
// Which kind of resource an element's resid must name.
const RESID_KIND: Record<string, ResourceKind> = {
  "bt:Image": "Images",
  SourceLocation: "Urls",
  FunctionFile: "Urls",
  Runtime: "Urls",
  Override: "Urls",
  Label: "ShortStrings",
  Title: "ShortStrings",
  Description: "LongStrings",
};
const MAX_LENGTH: Partial<Record<ResourceKind, number>> = { ShortStrings: 125, LongStrings: 250 };
// Elements whose DefaultValue is a page or an icon the add-in itself serves.
const SERVED_URL_ELEMENTS = new Set([
  "SupportUrl",
  "IconUrl",
  "HighResolutionIconUrl",
  "SourceLocation",
  "bt:Image",
  "bt:Url",
]);

export function parseXml(xml: string): XmlElement {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    commentPropName: "#comment",
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
  });
  const nodes = toElements(parser.parse(xml, true));
  const root = nodes.find((node) => node.name !== "?xml" && node.name !== "#comment");
  if (!root) throw new Error("manifest has no root element");
  return root;
}

type RawNode = Record<string, unknown>;

function toElements(raw: RawNode[]): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of raw) {
    const name = Object.keys(node).find((key) => key !== ":@");
    if (!name || name === "#text") continue;
    const children = toElements((node[name] as RawNode[]) ?? []);
    const text = ((node[name] as RawNode[]) ?? [])
      .filter((child) => "#text" in child)
      .map((child) => String(child["#text"]))
      .join("");
    elements.push({ name, attrs: (node[":@"] as Record<string, string>) ?? {}, children, text });
  }
  return elements;
}

const elementsOf = (element: XmlElement) =>
  element.children.filter((child) => child.name !== "#comment");
const childNamed = (element: XmlElement | undefined, name: string) =>
  element ? elementsOf(element).find((child) => child.name === name) : undefined;
const childrenNamed = (element: XmlElement | undefined, name: string) =>
  element ? elementsOf(element).filter((child) => child.name === name) : [];

function* walk(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const child of elementsOf(element)) yield* walk(child);
}

type Report = (rule: string, message: string) => void;

function checkOrder(
  report: Report,
  where: string,
  element: XmlElement,
  rank: Record<string, number>
): void {
  let highest = -1;
  let highestName = "";
  for (const child of elementsOf(element)) {
    const childRank = rank[child.name];
    if (childRank === undefined) {
      report("element-order", `${where}: unexpected element <${child.name}>`);
      continue;
    }
    if (childRank < highest) {
      report("element-order", `${where}: <${child.name}> must come before <${highestName}>`);
    } else if (childRank > highest) {
      highest = childRank;
      highestName = child.name;
    }
  }
}

export function checkManifest(xml: string, expect: ManifestExpectations): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const report: Report = (rule, message) => problems.push({ rule, message });
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    return [{ rule: "xml", message: `not well-formed XML: ${(error as Error).message}` }];
  }

  // Root and top level.
  if (root.name !== "OfficeApp")
    report("root", `root element is <${root.name}>, expected <OfficeApp>`);
  if (root.attrs.xmlns !== NS.officeApp) report("root", `OfficeApp xmlns must be ${NS.officeApp}`);
  if (root.attrs["xsi:type"] !== "MailApp") report("root", `OfficeApp xsi:type must be MailApp`);
  const topRank = Object.fromEntries(TOP_LEVEL_ORDER.map((name, index) => [name, index]));
  checkOrder(report, "OfficeApp", root, topRank);
  for (const name of TOP_LEVEL_REQUIRED) {
    if (!childNamed(root, name)) report("required", `OfficeApp is missing <${name}>`);
  }
  for (const name of TOP_LEVEL_ORDER.filter((n) => n !== "VersionOverrides")) {
    if (childrenNamed(root, name).length > 1)
      report("element-order", `OfficeApp has more than one <${name}>`);
  }
  const id = childNamed(root, "Id")?.text ?? "";
  if (id && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    report("id", `<Id> must be a GUID, got "${id}"`);
  }
  const version = childNamed(root, "Version")?.text ?? "";
  if (version && !/^\d{1,5}(\.\d{1,5}){0,3}$/.test(version))
    report("version", `<Version> "${version}" is not n.n.n.n`);

  // Permissions: exactly the expected level, and the reason written beside it.
  const permissions = childNamed(root, "Permissions");
  if (permissions && permissions.text !== expect.permissions) {
    report("permissions", `<Permissions> is ${permissions.text}, expected ${expect.permissions}`);
  }
  if (permissions) {
    const index = root.children.indexOf(permissions);
    const previous = root.children[index - 1];
    if (previous?.name !== "#comment")
      report("permissions", "<Permissions> needs a comment explaining why");
  }

  // Top-level requirement set.
  const mailboxSet = childrenNamed(
    childNamed(childNamed(root, "Requirements"), "Sets"),
    "Set"
  ).find((set) => set.attrs.Name?.toLowerCase() === "mailbox");
  if (mailboxSet?.attrs.MinVersion !== expect.mailboxMinVersion) {
    report(
      "requirements",
      `top-level Mailbox requirement is ${mailboxSet?.attrs.MinVersion ?? "missing"}, expected ${expect.mailboxMinVersion}`
    );
  }

  // VersionOverrides: V1_0 wrapping V1_1, as Outlook clients expect.
  const vo10 = childNamed(root, "VersionOverrides");
  const vo11 = childNamed(vo10, "VersionOverrides");
  if (!vo10 || vo10.attrs["xsi:type"] !== "VersionOverridesV1_0" || vo10.attrs.xmlns !== NS.vo10) {
    report(
      "version-overrides",
      "missing <VersionOverrides xsi:type=VersionOverridesV1_0> with its namespace"
    );
  }
  if (!vo11 || vo11.attrs["xsi:type"] !== "VersionOverridesV1_1" || vo11.attrs.xmlns !== NS.vo11) {
    report(
      "version-overrides",
      "missing nested <VersionOverrides xsi:type=VersionOverridesV1_1> with its namespace"
    );
  }
  for (const [label, overrides] of [
    ["VersionOverridesV1_0", vo10],
    ["VersionOverridesV1_1", vo11],
  ] as const) {
    if (!overrides) continue;
    checkOrder(report, label, overrides, VERSION_OVERRIDES_RANK);
    // A V1_0 that wraps a V1_1 may hold nothing else (Microsoft's templates do that); the innermost needs Hosts.
    const wrapsNewer = Boolean(childNamed(overrides, "VersionOverrides"));
    if (!wrapsNewer && !childNamed(overrides, "Hosts"))
      report("required", `${label} is missing <Hosts>`);
  }

  // The overrides that modern clients read: the innermost one.
  const active = vo11 ?? vo10;
  if (active) {
    checkOverrides(active, expect, report);
  }

  // Resources, resids and ids across the whole document.
  checkResources(root, report);
  checkIds(root, report);
  checkUrls(root, expect, report);
  return problems;
}

function checkOverrides(overrides: XmlElement, expect: ManifestExpectations, report: Report): void {
  const sets = childNamed(childNamed(overrides, "Requirements"), "bt:Sets");
  const mailbox = childrenNamed(sets, "bt:Set").find(
    (set) => set.attrs.Name?.toLowerCase() === "mailbox"
  );
  const effective = mailbox?.attrs.MinVersion ?? sets?.attrs.DefaultMinVersion;
  if (!mailbox || effective !== expect.mailboxMinVersion) {
    report(
      "requirements",
      `VersionOverrides Mailbox requirement is ${mailbox ? effective : "missing"}, expected ${expect.mailboxMinVersion}`
    );
  }
  const mailHost = childrenNamed(childNamed(overrides, "Hosts"), "Host").find(
    (host) => host.attrs["xsi:type"] === "MailHost"
  );
  if (mailHost) checkOrder(report, "MailHost", mailHost, MAIL_HOST_RANK);
  const desktop = childNamed(mailHost, "DesktopFormFactor");
  if (!desktop) {
    report("extension-points", "VersionOverrides has no MailHost/DesktopFormFactor");
    return;
  }
  checkOrder(report, "DesktopFormFactor", desktop, DESKTOP_FORM_FACTOR_RANK);
  if (childNamed(desktop, "SupportsSharedFolders")?.text !== "true") {
    report(
      "shared-folders",
      "DesktopFormFactor must declare <SupportsSharedFolders>true</SupportsSharedFolders>"
    );
  }
  const points = childrenNamed(desktop, "ExtensionPoint");
  for (const type of expect.extensionPoints) {
    const point = points.find((candidate) => candidate.attrs["xsi:type"] === type);
    if (!point) {
      report("extension-points", `no ExtensionPoint of type ${type}`);
      continue;
    }
    const opensPane = [...walk(point)].some(
      (element) => element.name === "Action" && element.attrs["xsi:type"] === "ShowTaskpane"
    );
    if (!opensPane) report("extension-points", `${type} has no button that opens the task pane`);
  }
  if (expect.launchEvents) checkLaunchEvents(mailHost!, desktop, expect.launchEvents, report);
  for (const { surface, id } of expect.sendGuardPaneButtons ?? []) {
    const point = points.find((candidate) => candidate.attrs["xsi:type"] === surface);
    const control = [...(point ? walk(point) : [])].find(
      (element) => element.name === "Control" && element.attrs.id === id
    );
    const opensPane = childrenNamed(control, "Action").some(
      (action) => action.attrs["xsi:type"] === "ShowTaskpane"
    );
    if (!opensPane)
      report(
        "send-guard",
        `the Send guard names "${id}" (Smart Alerts commandId), which is no task-pane button on ${surface}`
      );
  }
}

// Each expected event is declared once with its handler and send mode, and the LaunchEvent extension
// point names a runtime the MailHost declares (Outlook loads the handlers from that runtime's page).
function checkLaunchEvents(
  mailHost: XmlElement,
  desktop: XmlElement,
  expected: NonNullable<ManifestExpectations["launchEvents"]>,
  report: Report
): void {
  const point = childrenNamed(desktop, "ExtensionPoint").find(
    (candidate) => candidate.attrs["xsi:type"] === "LaunchEvent"
  );
  if (!point) {
    report("launch-events", "no ExtensionPoint of type LaunchEvent");
    return;
  }
  const events = childrenNamed(childNamed(point, "LaunchEvents"), "LaunchEvent");
  for (const [type, { functionName, sendMode }] of Object.entries(expected)) {
    const declared = events.filter((event) => event.attrs.Type === type);
    if (declared.length !== 1) {
      report(
        "launch-events",
        `LaunchEvent ${type} is declared ${declared.length} times, expected once`
      );
      continue;
    }
    const { FunctionName, SendMode } = declared[0].attrs;
    if (FunctionName !== functionName)
      report(
        "launch-events",
        `LaunchEvent ${type} calls ${FunctionName}, expected ${functionName}`
      );
    if (SendMode !== sendMode)
      report("launch-events", `LaunchEvent ${type} has SendMode ${SendMode}, expected ${sendMode}`);
  }
  const runtimes = childrenNamed(childNamed(mailHost, "Runtimes"), "Runtime");
  const source = childNamed(point, "SourceLocation")?.attrs.resid;
  const runtime = runtimes.find((candidate) => candidate.attrs.resid === source);
  if (!runtime) {
    report(
      "launch-events",
      `LaunchEvent SourceLocation "${source}" names no <Runtime> of the MailHost`
    );
  } else if (!childrenNamed(runtime, "Override").some((o) => o.attrs.type === "javascript")) {
    report(
      "launch-events",
      "the LaunchEvent runtime has no <Override type=javascript> (classic Outlook on Windows needs it)"
    );
  }
}

function checkResources(root: XmlElement, report: Report): void {
  const resources = new Map<string, ResourceKind>();
  for (const element of walk(root)) {
    if (element.name !== "Resources") continue;
    for (const container of elementsOf(element)) {
      const kind = RESOURCE_CONTAINERS[container.name];
      if (!kind) continue;
      for (const entry of elementsOf(container)) {
        const id = entry.attrs.id;
        if (!id) {
          report("resources", `${container.name} entry without an id`);
          continue;
        }
        if (resources.has(id))
          report("unique-ids", `resource id "${id}" is defined more than once`);
        resources.set(id, kind);
        const limit = MAX_LENGTH[kind];
        const value = entry.attrs.DefaultValue ?? "";
        if (limit && value.length > limit) {
          report(
            "resources",
            `${kind} "${id}" is ${value.length} characters; the limit is ${limit}`
          );
        }
      }
    }
  }
  for (const element of walk(root)) {
    const resid = element.attrs.resid;
    if (resid === undefined) continue;
    const found = resources.get(resid);
    const wanted = RESID_KIND[element.name];
    if (!found)
      report("resid", `<${element.name} resid="${resid}"> does not resolve to any resource`);
    else if (wanted && found !== wanted) {
      report(
        "resid",
        `<${element.name} resid="${resid}"> names a ${found} entry; it needs ${wanted}`
      );
    }
  }
}

function checkIds(root: XmlElement, report: Report): void {
  // Group and Control ids must be unique in the manifest (OfficeTab ids name built-in tabs and repeat).
  const seen = new Set<string>();
  for (const element of walk(root)) {
    if (element.name !== "Group" && element.name !== "Control") continue;
    const id = element.attrs.id;
    if (!id) report("unique-ids", `<${element.name}> without an id`);
    else if (seen.has(id)) report("unique-ids", `<${element.name} id="${id}"> is not unique`);
    else seen.add(id);
  }
}

function checkUrls(root: XmlElement, expect: ManifestExpectations, report: Report): void {
  const origins = new Set<string>();
  for (const element of walk(root)) {
    const candidates = [element.attrs.DefaultValue, element.attrs.Value].filter(
      (value): value is string => value !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
    );
    if (element.name === "AppDomain" || element.name === "SupportUrl") {
      if (element.text) candidates.push(element.text);
    }
    for (const raw of candidates) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        report("urls", `<${element.name}> has an invalid URL "${raw}"`);
        continue;
      }
      if (url.protocol !== "https:") report("urls", `<${element.name}> URL must be https: ${raw}`);
      if (!SERVED_URL_ELEMENTS.has(element.name)) continue;
      origins.add(url.origin);
      const file = decodeURIComponent(url.pathname.replace(/^\/+/, ""));
      if (!expect.emittedFiles.has(file)) {
        report(
          "urls",
          `<${element.name}> points at ${url.pathname}, which the build does not emit`
        );
      }
    }
  }
  if (origins.size > 1) {
    report(
      "urls",
      `pages and icons use ${origins.size} origins (${[...origins].join(", ")}); use one host`
    );
  }
}

/**
 * The files `npm run build` will put in dist/, read from the webpack config (HtmlWebpackPlugin pages,
 * CopyWebpackPlugin patterns) and the files those patterns match, without running a build.
 */
export function plannedBuildOutputs(rootDir: string): Set<string> {
  const { createConfig } = require(path.join(rootDir, "webpack.config.js"));
  const config = createConfig({}, { mode: "production" });
  const outputs = new Set<string>();
  // Entries whose script keeps a fixed name (the Send guard's commands.js); hashed names are not URLs.
  for (const name of Object.keys(config.entry)) {
    const filename = config.output.filename;
    const pattern = typeof filename === "function" ? filename({ chunk: { name } }) : filename;
    if (!pattern.includes("[contenthash]")) outputs.add(pattern.replace("[name]", name));
  }
  for (const plugin of config.plugins) {
    if (typeof plugin.plannedOutputs === "function") {
      for (const file of plugin.plannedOutputs() as string[]) outputs.add(file);
    }
    if (plugin.constructor.name === "HtmlWebpackPlugin") outputs.add(plugin.userOptions.filename);
    if (plugin.constructor.name === "CopyPlugin") {
      for (const pattern of plugin.patterns as Array<{ from: string; to: string }>) {
        for (const source of expandFrom(rootDir, pattern.from)) {
          const { name, ext } = path.parse(source);
          outputs.add(pattern.to.replace("[name]", name).replace("[ext]", ext));
        }
      }
    }
  }
  return outputs;
}

// The only glob form the config uses: "dir/*" (every file in dir) or a single file path.
function expandFrom(rootDir: string, from: string): string[] {
  if (from.endsWith("/*")) {
    const dir = path.join(rootDir, from.slice(0, -2));
    return existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
      : [];
  }
  return existsSync(path.join(rootDir, from)) ? [path.basename(from)] : [];
}
