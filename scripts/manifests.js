/* eslint-disable no-undef */
// The two manifests from their one set of sources, for the build (webpack.config.js), the checks and
// `npm run manifests` (which rewrites the committed manifests after an edit of one of the sources).
// Plain CommonJS, like webpack.config.js, so the build loads it without a TypeScript loader.
//
// Who owns what (so nothing shared is kept in two places by hand):
// - package.json `version`           → manifest.json `version` and manifest.xml <Version> (n.n.n.0);
// - manifest.xml (the add-in the JSON app hides): <Id>, <DisplayName>, <Description>, <ProviderName>,
//   <SupportUrl> and the ribbon strings → manifest.json's alternates id, name, description, developer
//   name and website, group label, button label and tooltip;
// - manifest.xml's task-pane button ids, one per surface → the ids of manifest.json's buttons on the same
//   surface, and (webpack DefinePlugin) the id the Send guard passes as Smart Alerts' `commandId`, which must
//   name a task-pane button of whichever manifest installed the add-in;
// - LARGE_ATTACH_ORIGIN (default https://localhost:3000) → the origin of every URL the add-in serves, in both.
// Everything else (surfaces, icons, permissions, runtimes) is structure written in each manifest's own
// terms; test/support/unified-manifest-checks.ts checks that the two agree on it.
const fs = require("node:fs");
const path = require("node:path");
const { XMLParser } = require("fast-xml-parser");
const { zipSync, strToU8 } = require("fflate");

const DEV_ORIGIN = "https://localhost:3000";
const APP_PACKAGE = "large-attach.zip";
// Classic Outlook on Windows loads the Send guard's commands.js into a JavaScript-only runtime, which may
// fetch across origins (Graph) or ask for tokens only when the add-in's origin lists that file here
// (learn.microsoft.com: "Use SSO or CORS in your event-based or spam-reporting Office Add-in").
const OFFICE_ADDINS_ALLOWED = ".well-known/microsoft-officeaddins-allowed.json";
// A fixed timestamp keeps the zip byte-for-byte reproducible from the same inputs.
const ZIP_MTIME = new Date("2026-01-01T00:00:00Z");

/** The add-in's origin from LARGE_ATTACH_ORIGIN: an https origin, nothing after the host and port. */
function resolveOrigin(env = process.env) {
  const raw = (env.LARGE_ATTACH_ORIGIN ?? "").trim();
  if (raw === "") return DEV_ORIGIN;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `LARGE_ATTACH_ORIGIN must be an https origin such as https://addin.contoso.com, got "${raw}"`
    );
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  if (url.protocol !== "https:" || !bare) {
    throw new Error(
      `LARGE_ATTACH_ORIGIN must be an https origin with no path, such as https://addin.contoso.com, got "${raw}"` +
        " (Outlook loads add-ins only over https; the pages are served from the root of that host)"
    );
  }
  return url.origin;
}

function readSources(rootDir) {
  const read = (file) => fs.readFileSync(path.join(rootDir, file), "utf8");
  return {
    version: JSON.parse(read("package.json")).version,
    xml: read("manifest.xml"),
    json: JSON.parse(read("manifest.json")),
  };
}

/** The Send guard's surface → the XML extension point and the unified manifest's ribbon context of that surface. */
const PANE_SURFACES = {
  message: { extensionPoint: "MessageComposeCommandSurface", context: "mailCompose" },
  appointment: {
    extensionPoint: "AppointmentOrganizerCommandSurface",
    context: "meetingDetailsOrganizer",
  },
};

/** The id of the ShowTaskpane button on each surface of the parsed XML (undefined where there is none). */
function paneButtonsOf(app) {
  const points = [
    app.VersionOverrides.VersionOverrides.Hosts.Host.DesktopFormFactor.ExtensionPoint,
  ].flat();
  const ids = {};
  for (const [surface, { extensionPoint }] of Object.entries(PANE_SURFACES)) {
    const point = points.find((p) => p["xsi:type"] === extensionPoint);
    const controls = [point?.OfficeTab?.Group ?? []]
      .flat()
      .flatMap((group) => [group.Control ?? []].flat());
    ids[surface] = controls.find((c) => c.Action?.["xsi:type"] === "ShowTaskpane")?.id;
  }
  return ids;
}

/** The facts manifest.json takes from manifest.xml. */
function xmlFacts(xml) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
  });
  const app = parser.parse(xml).OfficeApp;
  const resources = app.VersionOverrides.VersionOverrides.Resources;
  const strings = {};
  for (const kind of ["bt:ShortStrings", "bt:LongStrings"]) {
    for (const entry of [resources[kind]["bt:String"]].flat())
      strings[entry.id] = entry.DefaultValue;
  }
  return {
    id: app.Id,
    displayName: app.DisplayName.DefaultValue,
    description: app.Description.DefaultValue,
    providerName: app.ProviderName,
    supportUrl: app.SupportUrl.DefaultValue,
    strings,
    paneButtons: paneButtonsOf(app),
  };
}

/** "1.2.3" → "1.2.3.0": the XML manifest's version has four parts. */
function xmlVersion(version) {
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`package.json version "${version}" is not n.n.n`);
  return `${version}.0`;
}

function rebase(value, origin) {
  return value.startsWith(`${DEV_ORIGIN}/`) ? origin + value.slice(DEV_ORIGIN.length) : value;
}

function rebaseAll(node, origin) {
  if (typeof node === "string") return rebase(node, origin);
  if (Array.isArray(node)) return node.map((item) => rebaseAll(item, origin));
  if (node && typeof node === "object")
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rebaseAll(v, origin)]));
  return node;
}

/** manifest.json with the shared facts written in from their sources and every URL at `origin`. */
function deriveUnified(json, facts, version, origin) {
  const unified = structuredClone(json);
  unified.version = version;
  unified.name = { short: facts.displayName, full: facts.displayName };
  unified.description = { short: facts.strings["Addin.Description"], full: facts.description };
  unified.developer = {
    ...unified.developer,
    name: facts.providerName,
    websiteUrl: facts.supportUrl,
  };
  const extension = unified.extensions[0];
  const paneActions = new Set(
    (extension.runtimes ?? [])
      .flatMap((r) => r.actions ?? [])
      .filter((a) => a.type === "openPage")
      .map((a) => a.id)
  );
  for (const ribbon of extension.ribbons) writeRibbonFacts(ribbon, facts, paneActions);
  extension.alternates = [{ hide: { customOfficeAddin: { officeAddinId: facts.id } } }];
  return rebaseAll(unified, origin);
}

/** One ribbon per surface, so its button can carry the XML button's id for that surface. */
function writeRibbonFacts(ribbon, facts, paneActions) {
  const surfaces = Object.keys(PANE_SURFACES).filter((s) =>
    (ribbon.contexts ?? []).includes(PANE_SURFACES[s].context)
  );
  if (surfaces.length !== 1)
    throw new Error(
      `manifest.json: each ribbon must have exactly one of the contexts ${Object.values(
        PANE_SURFACES
      )
        .map((s) => s.context)
        .join(
          ", "
        )} (its button takes that surface's id from manifest.xml), got ${JSON.stringify(ribbon.contexts)}`
    );
  for (const group of ribbon.tabs.flatMap((t) => t.groups ?? [])) {
    group.label = facts.strings["Group.Label"];
    for (const control of group.controls) {
      if (paneActions.has(control.actionId) && facts.paneButtons[surfaces[0]])
        control.id = facts.paneButtons[surfaces[0]];
      control.label = facts.strings["TaskpaneButton.Label"];
      control.supertip = {
        title: facts.strings["TaskpaneButton.Label"],
        description: facts.strings["TaskpaneButton.Tooltip"],
      };
    }
  }
}

/** manifest.xml with the package version and every URL at `origin` (a plain text edit keeps its comments). */
function deriveXml(xml, version, origin) {
  const versioned = xml.replace(
    /<Version>[^<]*<\/Version>/,
    `<Version>${xmlVersion(version)}</Version>`
  );
  return versioned.split(`${DEV_ORIGIN}/`).join(`${origin}/`);
}

const formatJson = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** Both manifests for `origin` from their sources ({ version, xml, json }), as the text the build writes. */
function deriveFromSources({ version, xml, json }, origin = DEV_ORIGIN) {
  return {
    xml: deriveXml(xml, version, origin),
    json: formatJson(deriveUnified(json, xmlFacts(xml), version, origin)),
  };
}

/** The task-pane button id per surface ({ message, appointment }) that the Send guard names as commandId. */
const paneButtonIds = (rootDir) => xmlFacts(readSources(rootDir).xml).paneButtons;

const deriveManifests = (rootDir, origin = DEV_ORIGIN) =>
  deriveFromSources(readSources(rootDir), origin);

/** The app package Microsoft 365 takes: manifest.json and the two icons at the paths it names. */
function appPackage(manifestJson, readPackageFile) {
  const manifest = JSON.parse(manifestJson);
  const files = { "manifest.json": strToU8(manifestJson) };
  for (const icon of [manifest.icons.color, manifest.icons.outline])
    files[icon] = readPackageFile(icon);
  return Buffer.from(zipSync(files, { level: 9, mtime: ZIP_MTIME }));
}

// The package's icons live in assets/ (where scripts/draw-icons.ts writes them) and sit at the zip's root.
const packageFileReader = (rootDir) => (file) =>
  new Uint8Array(fs.readFileSync(path.join(rootDir, "assets", path.basename(file))));

/**
 * The well-known list of JavaScript files allowed to use SSO / CORS from this origin: every runtime script
 * the unified manifest names (the Send guard's commands.js, which manifest.xml names too), nothing else.
 */
function officeAddinsAllowed(manifestJson) {
  const runtimes = JSON.parse(manifestJson).extensions.flatMap((e) => e.runtimes ?? []);
  const allowed = [...new Set(runtimes.map((r) => r.code?.script).filter(Boolean))];
  return `${JSON.stringify({ allowed }, null, 2)}\n`;
}

/** Everything the plugin emits, keyed by its path in dist/. */
function buildOutputs(rootDir, origin) {
  const { xml, json } = deriveManifests(rootDir, origin);
  return {
    "manifest.xml": Buffer.from(xml),
    "manifest.json": Buffer.from(json),
    [APP_PACKAGE]: appPackage(json, packageFileReader(rootDir)),
    [OFFICE_ADDINS_ALLOWED]: Buffer.from(officeAddinsAllowed(json)),
  };
}

// Writes dist/manifest.xml, dist/manifest.json and dist/large-attach.zip for the configured origin.
class AddinManifestsPlugin {
  constructor({ rootDir, origin }) {
    this.rootDir = rootDir;
    this.origin = origin;
  }
  plannedOutputs() {
    return ["manifest.xml", "manifest.json", APP_PACKAGE, OFFICE_ADDINS_ALLOWED];
  }
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap("AddinManifestsPlugin", (compilation) => {
      const inputs = [
        "package.json",
        "manifest.xml",
        "manifest.json",
        "assets/color.png",
        "assets/outline.png",
      ];
      compilation.hooks.processAssets.tap(
        { name: "AddinManifestsPlugin", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const input of inputs)
            compilation.fileDependencies.add(path.join(this.rootDir, input));
          for (const [name, content] of Object.entries(buildOutputs(this.rootDir, this.origin))) {
            compilation.emitAsset(name, new sources.RawSource(content), { minimized: true });
          }
        }
      );
    });
  }
}

/** `npm run manifests`: rewrite the committed manifests from their sources (development origin). */
function syncCommitted(rootDir) {
  const { xml, json } = deriveManifests(rootDir, DEV_ORIGIN);
  const changed = [];
  for (const [file, text] of [
    ["manifest.xml", xml],
    ["manifest.json", json],
  ]) {
    const target = path.join(rootDir, file);
    if (fs.readFileSync(target, "utf8") === text) continue;
    fs.writeFileSync(target, text);
    changed.push(file);
  }
  console.log(
    changed.length
      ? `rewrote ${changed.join(" and ")}`
      : "manifests already in sync with their sources"
  );
}

if (require.main === module) syncCommitted(path.resolve(__dirname, ".."));

module.exports = {
  DEV_ORIGIN,
  APP_PACKAGE,
  OFFICE_ADDINS_ALLOWED,
  resolveOrigin,
  readSources,
  deriveFromSources,
  deriveManifests,
  paneButtonIds,
  appPackage,
  packageFileReader,
  AddinManifestsPlugin,
};
