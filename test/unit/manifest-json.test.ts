// manifest.json (the unified manifest) checked offline on every `npm test`: the official schema from
// @microsoft/app-manifest, the checks a schema cannot make, agreement with manifest.xml, the one set of
// sources both are derived from, and the app package the build emits. Each "reports …" test breaks one
// thing in a copy of the committed manifest and expects the message that names it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import webpack from "webpack";
import {
  AddinManifestsPlugin,
  APP_PACKAGE,
  DEV_ORIGIN,
  OFFICE_ADDINS_ALLOWED,
  deriveFromSources,
  readSources,
  resolveOrigin,
} from "../../scripts/manifests";
import { unifiedExpectations } from "../support/manifest-expectations";
import {
  checkManifestsAgree,
  checkUnifiedManifest,
  type UnifiedExpectations,
} from "../support/unified-manifest-checks";

const rootDir = path.resolve(__dirname, "../..");
const committedJson = readFileSync(path.join(rootDir, "manifest.json"), "utf8");
const committedXml = readFileSync(path.join(rootDir, "manifest.xml"), "utf8");
const manifest = JSON.parse(committedJson);

const expectations = unifiedExpectations(rootDir);

/** A deep copy of the committed manifest.json with one edit applied. */
function brokenJson(edit: (m: typeof manifest) => void) {
  const copy = structuredClone(manifest);
  edit(copy);
  return copy;
}

const problemsFor = (m: unknown, overrides: Partial<UnifiedExpectations> = {}) =>
  checkUnifiedManifest(m, { ...expectations, ...overrides });
const messagesFor = (m: unknown, overrides: Partial<UnifiedExpectations> = {}) =>
  problemsFor(m, overrides).map((p) => p.message);

describe("manifest.json", () => {
  it("passes the official schema and every offline check", () => {
    expect(problemsFor(manifest)).toEqual([]);
  });

  it("has, on each surface, the task-pane button the Send guard names (Smart Alerts commandId)", () => {
    expect(expectations.sendGuardPaneButtons).toEqual([
      {
        surface: "MessageComposeCommandSurface",
        context: "mailCompose",
        id: "LargeAttach.MessageCompose.OpenPane",
      },
      {
        surface: "AppointmentOrganizerCommandSurface",
        context: "meetingDetailsOrganizer",
        id: "LargeAttach.AppointmentOrganizer.OpenPane",
      },
    ]);
    const renamed = brokenJson((c) => {
      c.extensions[0].ribbons[1].tabs[0].groups[0].controls[0].id = "LargeAttach.OpenPane";
    });
    expect(problemsFor(renamed)).toContainEqual({
      rule: "send-guard",
      message:
        'the Send guard names "LargeAttach.AppointmentOrganizer.OpenPane" (Smart Alerts commandId), which is no task-pane button on meetingDetailsOrganizer',
    });
    const swapped = brokenJson((c) => {
      const [message, appointment] = c.extensions[0].ribbons;
      [message.contexts, appointment.contexts] = [appointment.contexts, message.contexts];
    });
    expect(problemsFor(swapped).filter((p) => p.rule === "send-guard")).toHaveLength(2);
  });

  it("uses the newest schema @microsoft/app-manifest bundles", () => {
    expect(Number(expectations.schemaVersion)).toBeGreaterThanOrEqual(1.3);
    expect(manifest.manifestVersion).toBe(expectations.schemaVersion);
  });

  it("agrees with manifest.xml on everything they share", () => {
    expect(checkManifestsAgree(committedXml, manifest)).toEqual([]);
  });

  it("is checked against the files the build emits, including the Send guard's runtime", () => {
    expect([...expectations.emittedFiles]).toEqual(
      expect.arrayContaining([
        "commands.html",
        "commands.js",
        "support.html",
        "privacy.html",
        "terms.html",
        "manifest.json",
        "manifest.xml",
        APP_PACKAGE,
        OFFICE_ADDINS_ALLOWED,
        "assets/color.png",
        "assets/outline.png",
      ])
    );
  });
});

describe("manifest.json checks catch broken manifests", () => {
  it("reports an unknown property, naming it (schema)", () => {
    const m = brokenJson((c) => (c.extensions[0].ribbons[0].colour = "blue"));
    expect(messagesFor(m)).toContain(
      '/extensions/0/ribbons/0: must NOT have additional properties ("colour")'
    );
  });

  it("reports a missing required property and a wrong enum value (schema)", () => {
    const m = brokenJson((c) => {
      delete c.developer.privacyUrl;
      c.extensions[0].autoRunEvents[0].events[0].options.sendMode = "soft-block";
    });
    const messages = messagesFor(m);
    expect(messages).toContain("/developer: must have required property 'privacyUrl'");
    expect(messages).toContain(
      "/extensions/0/autoRunEvents/0/events/0/options/sendMode: must be equal to one of the allowed values"
    );
  });

  it("reports an older manifestVersion than the newest bundled schema", () => {
    const m = brokenJson((c) => (c.manifestVersion = "1.17"));
    expect(messagesFor(m)).toContain(
      `manifestVersion is 1.17, expected ${expectations.schemaVersion}`
    );
  });

  it("reports an actionId that no runtime defines, and a duplicate action id", () => {
    const m = brokenJson((c) => {
      c.extensions[0].ribbons[0].tabs[0].groups[0].controls[0].actionId = "ShowTaskpane";
      c.extensions[0].runtimes[1].actions[1].id = "onMessageSendHandler";
    });
    const messages = messagesFor(m);
    expect(messages).toContain(
      'control "LargeAttach.MessageCompose.OpenPane" names actionId "ShowTaskpane", which no runtime defines'
    );
    expect(messages).toContain('action id "onMessageSendHandler" is defined more than once');
    expect(messages).toContain(
      'event "appointmentSending" names actionId "onAppointmentSendHandler", which no runtime defines'
    );
  });

  it("reports an app icon of the wrong size and an outline icon that is not white on transparent", () => {
    const icon128 = readFileSync(path.join(rootDir, "assets/icon-128.png"));
    const color = readFileSync(path.join(rootDir, "assets/color.png"));
    const messages = messagesFor(manifest, {
      readPackageFile: (file) =>
        file === "color.png" ? icon128 : file === "outline.png" ? color : undefined,
    });
    expect(messages).toContain(
      'icons.color "color.png" is 128×128; the unified manifest needs 192×192'
    );
    expect(messages).toContain(
      'icons.outline "outline.png" is 192×192; the unified manifest needs 32×32'
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^icons.outline "outline.png" has \d+ pixels that are not white$/),
      ])
    );
  });

  it("reports an app icon missing from the package and a ribbon icon whose size is not its file's", () => {
    const m = brokenJson(
      (c) => (c.extensions[0].ribbons[0].tabs[0].groups[0].controls[0].icons[2].size = 64)
    );
    expect(messagesFor(m, { readPackageFile: () => undefined })).toEqual(
      expect.arrayContaining([
        'icons.color "color.png" is not in the app package',
        'control "LargeAttach.MessageCompose.OpenPane" names assets/icon-80.png as 64 px; it is 80×80',
      ])
    );
  });

  it("reports a URL that is not https, one the build does not emit, and a second origin", () => {
    const m = brokenJson((c) => {
      c.developer.privacyUrl = "http://localhost:3000/privacy.html";
      c.extensions[0].runtimes[0].code.page = "https://localhost:3000/task-pane.html";
      c.developer.termsOfUseUrl = "https://cdn.example.com/terms.html";
    });
    const messages = messagesFor(m);
    expect(messages).toContain(
      "/developer/privacyUrl must be https: http://localhost:3000/privacy.html"
    );
    expect(messages).toContain(
      "/extensions/0/runtimes/0/code/page points at /task-pane.html, which the build does not emit"
    );
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/use one host/)]));
  });

  it("reports the Send guard's runtime files once the build stops emitting them", () => {
    const withoutGuard = new Set(
      [...expectations.emittedFiles].filter((f) => f !== "commands.js" && f !== "commands.html")
    );
    expect(messagesFor(manifest, { emittedFiles: withoutGuard })).toEqual([
      "/extensions/0/runtimes/1/code/page points at /commands.html, which the build does not emit",
      "/extensions/0/runtimes/1/code/script points at /commands.js, which the build does not emit",
    ]);
  });

  it("reports a Send guard with the wrong handler, send mode, requirement or runtime", () => {
    const m = brokenJson((c) => {
      const [event] = c.extensions[0].autoRunEvents[0].events;
      event.options.sendMode = "block";
      c.extensions[0].autoRunEvents[0].requirements.capabilities[0].minVersion = "1.10";
      delete c.extensions[0].runtimes[1].code.script;
      c.extensions[0].runtimes[1].actions[1].type = "openPage";
    });
    expect(
      problemsFor(m)
        .filter((p) => p.rule === "send-guard")
        .map((p) => p.message)
    ).toEqual(
      expect.arrayContaining([
        "messageSending has sendMode block, expected softBlock",
        "the autoRunEvents entry for messageSending must require Mailbox 1.12",
        "runtime SendGuardRuntime needs code.script (classic Outlook on Windows)",
        "action onAppointmentSendHandler must be executeFunction, is openPage",
      ])
    );
    const noAppointment = brokenJson((c) => c.extensions[0].autoRunEvents[0].events.pop());
    expect(messagesFor(noAppointment)).toContain("no autoRunEvents entry for appointmentSending");
  });

  it("reports a missing surface, a wrong Mailbox requirement and broader permissions", () => {
    const m = brokenJson((c) => {
      c.extensions[0].ribbons[1].contexts = ["mailCompose"];
      c.extensions[0].requirements.capabilities[0].minVersion = "1.5";
      c.authorization.permissions.resourceSpecific[0].name = "Mailbox.ReadWrite.User";
    });
    expect(messagesFor(m)).toEqual(
      expect.arrayContaining([
        "no ribbon button on meetingDetailsOrganizer opens the task pane",
        "extension Mailbox requirement is 1.5, expected 1.8",
        'resource-specific permissions are ["Mailbox.AccessSharedFolders.User","Mailbox.ReadWrite.User"], expected ["Mailbox.AccessSharedFolders.User","MailboxItem.ReadWrite.User"]',
      ])
    );
  });
});

describe("the two manifests must agree", () => {
  const disagreements = (xml: string, m: unknown) =>
    checkManifestsAgree(xml, m).map((p) => p.message);

  it("reports a version, surface, page, icon, permission or domain that only one of them has", () => {
    const m = brokenJson((c) => {
      c.version = "0.2.0";
      c.extensions[0].ribbons[1].contexts = ["mailRead"];
      c.extensions[0].runtimes[0].code.page = "https://localhost:3000/dialog.html";
      for (const ribbon of c.extensions[0].ribbons)
        ribbon.tabs[0].groups[0].controls[0].icons[0].url =
          "https://localhost:3000/assets/icon-32.png";
      c.authorization.permissions.resourceSpecific.pop();
      c.validDomains = [];
    });
    expect(disagreements(committedXml, m)).toEqual([
      'version: manifest.xml says "0.1.0.0", manifest.json says "0.2.0.0"',
      'surfaces: manifest.xml says ["mailCompose","meetingDetailsOrganizer"], manifest.json says ["mailCompose","mailRead"]',
      'task pane page: manifest.xml says ["https://localhost:3000/taskpane.html"], manifest.json says ["https://localhost:3000/dialog.html"]',
      'button icons: manifest.xml says ["https://localhost:3000/assets/icon-16.png","https://localhost:3000/assets/icon-32.png","https://localhost:3000/assets/icon-80.png"], manifest.json says ["https://localhost:3000/assets/icon-32.png","https://localhost:3000/assets/icon-80.png"]',
      "shared folders: manifest.xml says true, manifest.json says false",
      'sign-in domains: manifest.xml says ["login.microsoftonline.com"], manifest.json says []',
    ]);
  });

  it("reports Send guard declarations that differ (handler names, send mode, runtime files)", () => {
    const xml = committedXml
      .replace('FunctionName="onAppointmentSendHandler"', 'FunctionName="onAppointmentSend"')
      .replace('/commands.js"', '/launchevent.js"');
    expect(xml).toContain('FunctionName="onAppointmentSend"');
    const messages = disagreements(xml, manifest);
    expect(messages).toEqual([
      expect.stringMatching(/^send events: manifest.xml says .*"actionId":"onAppointmentSend",/),
      'send guard script: manifest.xml says "https://localhost:3000/launchevent.js", manifest.json says "https://localhost:3000/commands.js"',
    ]);
  });

  it("reports an alternates entry that does not hide the XML add-in, and a shared app id", () => {
    const m = brokenJson((c) => {
      c.id = "ffc04799-37e0-4ae8-b724-6eb56617dfff";
      c.extensions[0].alternates[0].hide.customOfficeAddin.officeAddinId = c.id.replace("f", "e");
    });
    expect(disagreements(committedXml, m)).toEqual([
      'hidden XML add-in: manifest.xml says "ffc04799-37e0-4ae8-b724-6eb56617dfff", manifest.json says "efc04799-37e0-4ae8-b724-6eb56617dfff"',
      "manifest.json must have its own id, not the XML add-in's",
    ]);
  });
});

describe("one source for what the manifests share", () => {
  const sources = readSources(rootDir);

  it("the committed manifests are what `npm run manifests` derives from their sources", () => {
    const derived = deriveFromSources(sources, DEV_ORIGIN);
    expect(derived.json).toBe(committedJson);
    expect(derived.xml).toBe(committedXml);
  });

  it("takes the version from package.json and names, descriptions and ribbon strings from manifest.xml", () => {
    const xml = sources.xml
      .replace(
        '<DisplayName DefaultValue="Large Attach"/>',
        '<DisplayName DefaultValue="Big Attach"/>'
      )
      .replace('DefaultValue="Attach large files"', 'DefaultValue="Attach big files"');
    const derived = deriveFromSources({ ...sources, version: "2.3.4", xml }, DEV_ORIGIN);
    const json = JSON.parse(derived.json);
    expect(derived.xml).toContain("<Version>2.3.4.0</Version>");
    expect(json.version).toBe("2.3.4");
    expect(json.name).toEqual({ short: "Big Attach", full: "Big Attach" });
    const control = json.extensions[0].ribbons[0].tabs[0].groups[0].controls[0];
    expect([control.label, control.supertip.title]).toEqual([
      "Attach big files",
      "Attach big files",
    ]);
    // The committed manifest.json now disagrees, so the sync test above would fail until `npm run manifests`.
    expect(derived.json).not.toBe(committedJson);
  });

  it("moves every URL the add-in serves to LARGE_ATTACH_ORIGIN, in both manifests", () => {
    const origin = resolveOrigin({ LARGE_ATTACH_ORIGIN: "https://addin.example.test" });
    const { xml, json } = deriveFromSources(sources, origin);
    expect(`${xml}\n${json}`).not.toContain("localhost");
    const external = [
      "https://developer.microsoft.com/json-schemas/", // $schema
      "http://schemas.microsoft.com/office/", // XML namespaces
      "http://www.w3.org/2001/XMLSchema-instance",
      "https://login.microsoftonline.com", // the sign-in host (AppDomain)
    ];
    const urls = `${xml}\n${json}`.match(/https?:\/\/[^"<\s]+/g) ?? [];
    const ours = urls.filter((url) => !external.some((prefix) => url.startsWith(prefix)));
    expect(ours.length).toBeGreaterThan(15);
    expect(ours.filter((url) => !url.startsWith("https://addin.example.test/"))).toEqual([]);
    expect(problemsFor(JSON.parse(json))).toEqual([]);
    expect(checkManifestsAgree(xml, JSON.parse(json))).toEqual([]);
  });

  it("refuses an origin that is not https or has a path", () => {
    expect(resolveOrigin({})).toBe(DEV_ORIGIN);
    expect(resolveOrigin({ LARGE_ATTACH_ORIGIN: "https://addin.contoso.com/" })).toBe(
      "https://addin.contoso.com"
    );
    expect(() => resolveOrigin({ LARGE_ATTACH_ORIGIN: "http://addin.contoso.com" })).toThrow(
      /must be an https origin/
    );
    expect(() => resolveOrigin({ LARGE_ATTACH_ORIGIN: "https://contoso.com/addin" })).toThrow(
      /no path/
    );
    expect(() => resolveOrigin({ LARGE_ATTACH_ORIGIN: "addin.contoso.com" })).toThrow(
      /https origin/
    );
  });
});

describe("the build's manifests and app package", () => {
  let outDir: string;
  let emitted: Record<string, Buffer>;

  // A real webpack compilation with only the manifests plugin (a one-line entry), as `npm run build` runs it.
  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "large-attach-manifests-"));
    const entry = path.join(outDir, "entry.js");
    writeFileSync(entry, "export {};\n");
    const compiler = webpack({
      mode: "production",
      context: rootDir,
      entry,
      output: { path: path.join(outDir, "dist") },
      plugins: [new AddinManifestsPlugin({ rootDir, origin: "https://addin.example.test" })],
    });
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      compiler.run((error, result) => (error || !result ? reject(error) : resolve(result)))
    );
    await new Promise((resolve) => compiler.close(resolve));
    expect(stats.hasErrors()).toBe(false);
    emitted = Object.fromEntries(
      ["manifest.xml", "manifest.json", APP_PACKAGE, OFFICE_ADDINS_ALLOWED].map((f) => [
        f,
        readFileSync(path.join(outDir, "dist", f)),
      ])
    );
  });

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("writes both manifests at the configured origin", () => {
    const json = JSON.parse(emitted["manifest.json"].toString());
    expect(json.extensions[0].runtimes[0].code.page).toBe(
      "https://addin.example.test/taskpane.html"
    );
    expect(emitted["manifest.xml"].toString()).toContain(
      '<SupportUrl DefaultValue="https://addin.example.test/support.html"/>'
    );
  });

  it("lists the Send guard's commands.js, and only it, in .well-known/microsoft-officeaddins-allowed.json", () => {
    // Classic Outlook on Windows runs commands.js without a page: its Graph calls (CORS) and tokens are
    // allowed only for a script this origin lists at this exact path.
    expect(OFFICE_ADDINS_ALLOWED).toBe(".well-known/microsoft-officeaddins-allowed.json");
    const allowed = JSON.parse(emitted[OFFICE_ADDINS_ALLOWED].toString());
    expect(allowed).toEqual({ allowed: ["https://addin.example.test/commands.js"] });
    // The same URL both manifests give classic Outlook's JavaScript-only runtime.
    expect(emitted["manifest.xml"].toString()).toContain(
      '<bt:Url id="SendGuard.Script.Url" DefaultValue="https://addin.example.test/commands.js"/>'
    );
    const json = JSON.parse(emitted["manifest.json"].toString());
    const scripts = json.extensions[0].runtimes.map(
      (r: { code: { script?: string } }) => r.code.script
    );
    expect(scripts.filter(Boolean)).toEqual(allowed.allowed);
  });

  it("packages manifest.json, color.png and outline.png at the paths the manifest names, and nothing else", () => {
    const entries = unzipSync(new Uint8Array(emitted[APP_PACKAGE]));
    expect(Object.keys(entries).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(Buffer.from(entries["manifest.json"]).equals(emitted["manifest.json"])).toBe(true);
    const packaged = JSON.parse(Buffer.from(entries["manifest.json"]).toString());
    expect([packaged.icons.color, packaged.icons.outline].sort()).toEqual([
      "color.png",
      "outline.png",
    ]);
    for (const icon of ["color.png", "outline.png"]) {
      expect(
        Buffer.from(entries[icon]).equals(readFileSync(path.join(rootDir, "assets", icon)))
      ).toBe(true);
    }
    // The packaged manifest passes every check with the icons read from the zip itself.
    const fromZip = (file: string) => (entries[file] ? Buffer.from(entries[file]) : undefined);
    expect(problemsFor(packaged, { readPackageFile: fromZip })).toEqual([]);
  });
});
