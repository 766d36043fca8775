// The manifest validation service is online-only, so these checks run offline on every `npm test`: the
// committed manifest must be clean, and each check must catch the mistake it exists for.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  checkManifest,
  parseXml,
  type ManifestExpectations,
  type XmlElement,
} from "../support/manifest-checks";
import { xmlExpectations } from "../support/manifest-expectations";

const rootDir = path.resolve(__dirname, "../..");
const manifest = readFileSync(path.join(rootDir, "manifest.xml"), "utf8");
const expectations = xmlExpectations(rootDir);

/** The committed manifest with one edit; fails loudly if the text to replace is not there. */
function broken(find: string | RegExp, replace: string): string {
  const edited = manifest.replace(find, replace);
  if (edited === manifest) throw new Error(`mutation did not apply: ${String(find)}`);
  return edited;
}

function problemsFor(xml: string, overrides: Partial<ManifestExpectations> = {}) {
  return checkManifest(xml, { ...expectations, ...overrides });
}

function find(element: XmlElement, name: string): XmlElement[] {
  const found = element.name === name ? [element] : [];
  return found.concat(...element.children.map((child) => find(child, name)));
}

describe("manifest.xml", () => {
  it("passes every offline check", () => {
    expect(problemsFor(manifest)).toEqual([]);
  });

  it("reports a Send guard commandId that is no task-pane button on its surface", () => {
    const wrongSurface = problemsFor(manifest, {
      sendGuardPaneButtons: [
        {
          surface: "AppointmentOrganizerCommandSurface",
          id: "LargeAttach.MessageCompose.OpenPane",
        },
      ],
    });
    expect(wrongSurface).toEqual([
      {
        rule: "send-guard",
        message:
          'the Send guard names "LargeAttach.MessageCompose.OpenPane" (Smart Alerts commandId), which is no task-pane button on AppointmentOrganizerCommandSurface',
      },
    ]);
    const notAPane = broken(
      /(<Control xsi:type="Button" id="LargeAttach.MessageCompose.OpenPane">[\s\S]*?)<Action xsi:type="ShowTaskpane">/,
      '$1<Action xsi:type="ExecuteFunction">'
    );
    expect(problemsFor(notAPane).map((p) => p.rule)).toContain("send-guard");
  });

  it("is checked against what the webpack config will emit", () => {
    expect([...expectations.emittedFiles].sort()).toEqual(
      expect.arrayContaining([
        "taskpane.html",
        "manifest.xml",
        "support.html",
        "commands.html",
        "commands.js",
        "assets/icon-16.png",
        "assets/icon-32.png",
        "assets/icon-64.png",
        "assets/icon-80.png",
        "assets/icon-128.png",
      ])
    );
  });

  it("lets the sign-in dialog open the Microsoft identity platform", () => {
    const domains = find(parseXml(manifest), "AppDomain").map((domain) => domain.text);
    expect(domains).toContain("https://login.microsoftonline.com");
  });

  it("offers the task pane button with 16/32/80 px icons on both command surfaces", () => {
    const points = find(parseXml(manifest), "ExtensionPoint").filter(
      (point) => point.attrs["xsi:type"] !== "LaunchEvent"
    );
    expect(points.map((point) => point.attrs["xsi:type"]).sort()).toEqual([
      "AppointmentOrganizerCommandSurface",
      "MessageComposeCommandSurface",
    ]);
    for (const point of points) {
      expect(find(point, "bt:Image").map((image) => image.attrs.size)).toEqual(["16", "32", "80"]);
    }
  });
});

describe("manifest checks catch broken manifests", () => {
  const rulesOf = (xml: string, overrides?: Partial<ManifestExpectations>) =>
    problemsFor(xml, overrides).map((problem) => problem.rule);

  it("reports a resid that resolves to nothing", () => {
    const problems = problemsFor(
      broken('<SourceLocation resid="Taskpane.Url"/>', '<SourceLocation resid="Taskpane.Uri"/>')
    );
    expect(problems).toContainEqual({
      rule: "resid",
      message: '<SourceLocation resid="Taskpane.Uri"> does not resolve to any resource',
    });
  });

  it("reports a resid that names the wrong kind of resource", () => {
    const problems = problemsFor(
      broken('<Label resid="Group.Label"/>', '<Label resid="Icon.16x16"/>')
    );
    expect(problems).toContainEqual({
      rule: "resid",
      message: '<Label resid="Icon.16x16"> names a Images entry; it needs ShortStrings',
    });
  });

  it("reports VersionOverrides children out of schema order", () => {
    const moved = broken(/\s*<Description resid="Addin.Description"\/>/, "").replace(
      "</Requirements>\n      <Hosts>",
      '</Requirements>\n      <Description resid="Addin.Description"/>\n      <Hosts>'
    );
    expect(moved).toContain('</Requirements>\n      <Description resid="Addin.Description"/>');
    expect(problemsFor(moved)).toContainEqual({
      rule: "element-order",
      message: "VersionOverridesV1_1: <Description> must come before <Requirements>",
    });
  });

  it("reports top-level elements out of order and missing required ones", () => {
    const swapped = broken(
      /(\s*<FormSettings>[\s\S]*?<\/FormSettings>)([\s\S]*?<Permissions>ReadWriteItem<\/Permissions>)/,
      "$2$1"
    );
    expect(rulesOf(swapped)).toContain("element-order");
    expect(problemsFor(broken(/<ProviderName>.*<\/ProviderName>/, ""))).toContainEqual({
      rule: "required",
      message: "OfficeApp is missing <ProviderName>",
    });
  });

  it("reports a URL that is not https", () => {
    const problems = problemsFor(
      broken(
        '"https://localhost:3000/assets/icon-16.png"',
        '"http://localhost:3000/assets/icon-16.png"'
      )
    );
    expect(problems).toContainEqual({
      rule: "urls",
      message: "<bt:Image> URL must be https: http://localhost:3000/assets/icon-16.png",
    });
  });

  it("reports page and icon URLs the build does not emit", () => {
    const problems = problemsFor(
      broken(
        '<bt:Url id="Taskpane.Url" DefaultValue="https://localhost:3000/taskpane.html"/>',
        '<bt:Url id="Taskpane.Url" DefaultValue="https://localhost:3000/task-pane.html"/>'
      )
    );
    expect(problems).toContainEqual({
      rule: "urls",
      message: "<bt:Url> points at /task-pane.html, which the build does not emit",
    });

    const withoutIcon = new Set(
      [...expectations.emittedFiles].filter((file) => file !== "assets/icon-80.png")
    );
    expect(problemsFor(manifest, { emittedFiles: withoutIcon })).toContainEqual({
      rule: "urls",
      message: "<bt:Image> points at /assets/icon-80.png, which the build does not emit",
    });
  });

  it("reports pages served from two different hosts", () => {
    const xml = broken(
      '"https://localhost:3000/assets/icon-128.png"',
      '"https://cdn.example.com/assets/icon-128.png"'
    );
    expect(problemsFor(xml).map((problem) => problem.message)).toContainEqual(
      expect.stringMatching(/use one host/)
    );
  });

  it("reports duplicate control and resource ids", () => {
    const duplicateControl = broken(
      'id="LargeAttach.AppointmentOrganizer.OpenPane"',
      'id="LargeAttach.MessageCompose.OpenPane"'
    );
    expect(problemsFor(duplicateControl)).toContainEqual({
      rule: "unique-ids",
      message: '<Control id="LargeAttach.MessageCompose.OpenPane"> is not unique',
    });
    const duplicateResource = broken(
      '<bt:String id="TaskpaneButton.Label"',
      '<bt:String id="Group.Label"'
    );
    expect(problemsFor(duplicateResource)).toContainEqual({
      rule: "unique-ids",
      message: 'resource id "Group.Label" is defined more than once',
    });
  });

  it("reports a Mailbox requirement set below 1.8 in either place", () => {
    expect(
      problemsFor(broken('<bt:Sets DefaultMinVersion="1.8">', '<bt:Sets DefaultMinVersion="1.3">'))
    ).toContainEqual({
      rule: "requirements",
      message: "VersionOverrides Mailbox requirement is 1.3, expected 1.8",
    });
    expect(
      problemsFor(
        broken('<Set Name="Mailbox" MinVersion="1.8"/>', '<Set Name="Mailbox" MinVersion="1.1"/>')
      )
    ).toContainEqual({
      rule: "requirements",
      message: "top-level Mailbox requirement is 1.1, expected 1.8",
    });
  });

  it("reports a missing command surface and a missing shared-folders flag", () => {
    const xml = broken(
      'xsi:type="AppointmentOrganizerCommandSurface"',
      'xsi:type="AppointmentAttendeeCommandSurface"'
    );
    expect(problemsFor(xml)).toContainEqual({
      rule: "extension-points",
      message: "no ExtensionPoint of type AppointmentOrganizerCommandSurface",
    });
    expect(
      rulesOf(
        broken(
          "<SupportsSharedFolders>true</SupportsSharedFolders>",
          "<SupportsSharedFolders>false</SupportsSharedFolders>"
        )
      )
    ).toContain("shared-folders");
  });

  it("reports a broader permission than expected and a permission without its reason", () => {
    expect(
      rulesOf(
        broken(
          "<Permissions>ReadWriteItem</Permissions>",
          "<Permissions>ReadWriteMailbox</Permissions>"
        )
      )
    ).toContain("permissions");
    const uncommented = broken(/<!--\s*ReadWriteItem is the least privilege[\s\S]*?-->/, "");
    expect(problemsFor(uncommented)).toContainEqual({
      rule: "permissions",
      message: "<Permissions> needs a comment explaining why",
    });
  });

  it("reports VersionOverrides that do not wrap V1_1 in V1_0", () => {
    expect(
      rulesOf(broken('xsi:type="VersionOverridesV1_1"', 'xsi:type="VersionOverridesV1_2"'))
    ).toContain("version-overrides");
  });

  it("reports a Send guard LaunchEvent with the wrong handler or send mode, or declared twice", () => {
    const wrong = broken(
      'FunctionName="onMessageSendHandler" SendMode="SoftBlock"',
      'FunctionName="onSend" SendMode="Block"'
    );
    expect(problemsFor(wrong)).toEqual([
      {
        rule: "launch-events",
        message: "LaunchEvent OnMessageSend calls onSend, expected onMessageSendHandler",
      },
      {
        rule: "launch-events",
        message: "LaunchEvent OnMessageSend has SendMode Block, expected SoftBlock",
      },
    ]);
    const twice = broken('Type="OnAppointmentSend"', 'Type="OnMessageSend"');
    expect(problemsFor(twice).map((problem) => problem.message)).toEqual(
      expect.arrayContaining([
        "LaunchEvent OnMessageSend is declared 2 times, expected once",
        "LaunchEvent OnAppointmentSend is declared 0 times, expected once",
      ])
    );
  });

  it("reports a LaunchEvent whose runtime is not declared, or lacks the classic Windows script", () => {
    const unresolved = broken(
      '<SourceLocation resid="SendGuard.Page.Url"/>',
      '<SourceLocation resid="Taskpane.Url"/>'
    );
    expect(problemsFor(unresolved)).toContainEqual({
      rule: "launch-events",
      message: 'LaunchEvent SourceLocation "Taskpane.Url" names no <Runtime> of the MailHost',
    });
    const noScript = broken(/\s*<Override type="javascript" resid="SendGuard.Script.Url"\/>/, "");
    expect(problemsFor(noScript)).toContainEqual({
      rule: "launch-events",
      message:
        "the LaunchEvent runtime has no <Override type=javascript> (classic Outlook on Windows needs it)",
    });
    const noRuntimeUrl = broken(
      '<Runtime resid="SendGuard.Page.Url">',
      '<Runtime resid="SendGuard.Url">'
    );
    expect(problemsFor(noRuntimeUrl)).toContainEqual({
      rule: "resid",
      message: '<Runtime resid="SendGuard.Url"> does not resolve to any resource',
    });
  });

  it("reports Send guard runtime files the build does not emit", () => {
    const withoutScript = new Set(
      [...expectations.emittedFiles].filter((file) => file !== "commands.js")
    );
    expect(problemsFor(manifest, { emittedFiles: withoutScript })).toEqual([
      { rule: "urls", message: "<bt:Url> points at /commands.js, which the build does not emit" },
    ]);
  });

  it("reports Runtimes after DesktopFormFactor and a support page that is not https or not emitted", () => {
    const moved = broken(
      /(\s*<Runtimes>[\s\S]*?<\/Runtimes>)(\s*<DesktopFormFactor>[\s\S]*?<\/DesktopFormFactor>)/,
      "$2$1"
    );
    expect(problemsFor(moved)).toContainEqual({
      rule: "element-order",
      message: "MailHost: <Runtimes> must come before <DesktopFormFactor>",
    });
    expect(
      problemsFor(
        broken('"https://localhost:3000/support.html"', '"http://localhost:3000/help.html"')
      )
    ).toEqual(
      expect.arrayContaining([
        {
          rule: "urls",
          message: "<SupportUrl> URL must be https: http://localhost:3000/help.html",
        },
        {
          rule: "urls",
          message: "<SupportUrl> points at /help.html, which the build does not emit",
        },
      ])
    );
  });

  it("reports XML that is not well-formed", () => {
    expect(rulesOf(broken("</Hosts>", "</Hostz>"))).toEqual(["xml"]);
  });
});
