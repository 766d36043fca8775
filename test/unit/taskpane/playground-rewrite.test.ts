import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { distIsStale } from "../../../dev/playground/demo";
import { rewriteTaskpaneHtml, withConnectSources } from "../../../dev/playground/rewrite";

const HTML = `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com; connect-src 'self' https://graph.microsoft.com" />
<script type="text/javascript" src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>
<script type="application/json" id="large-attach-config">{"graphBaseUrl":"https://graph.microsoft.com/v1.0","messageSizeLimit":157286400}</script>
<script defer src="taskpane.abc.js"></script></head><body></body></html>`;

describe("playground rewrite of taskpane.html", () => {
  const out = rewriteTaskpaneHtml(HTML, {
    scripts: ["/playground/naa-bridge.js", "/playground/office-standin.js"],
    runtimeConfig: { graphBaseUrl: "http://127.0.0.1:5000/v1.0", messageSizeLimit: 1000 },
    connectOrigins: ["http://127.0.0.1:5000", "http://127.0.0.1:5001"],
    standinConfig: { emulatorUrl: "http://127.0.0.1:5000", note: "</script><b>" },
  });

  it("replaces office.js with the stand-ins, before the app bundle", () => {
    expect(out).not.toContain("appsforoffice.microsoft.com/lib");
    const bridge = out.indexOf('src="/playground/naa-bridge.js"');
    const standin = out.indexOf('src="/playground/office-standin.js"');
    expect(bridge).toBeGreaterThan(-1);
    expect(standin).toBeGreaterThan(bridge);
    expect(out.indexOf("taskpane.abc.js")).toBeGreaterThan(standin);
  });

  it("points the runtime config at the emulator", () => {
    expect(out).toContain(
      'id="large-attach-config">{"graphBaseUrl":"http://127.0.0.1:5000/v1.0","messageSizeLimit":1000}</script>'
    );
  });

  it("opens connect-src to the emulator's origins and keeps the rest of the policy", () => {
    expect(out).toContain(
      "connect-src 'self' https://graph.microsoft.com http://127.0.0.1:5000 http://127.0.0.1:5001"
    );
    expect(out).toContain("script-src 'self' https://appsforoffice.microsoft.com");
  });

  it("cannot be broken out of by a config value", () => {
    expect(out).not.toContain("</script><b>");
    expect(out).toContain("\\u003c/script>\\u003cb>");
  });

  it("understands the minified page (attribute quotes dropped)", () => {
    const minified =
      "<meta http-equiv=Content-Security-Policy content=\"default-src 'self'; connect-src 'self'\">" +
      "<script type=text/javascript src=https://appsforoffice.microsoft.com/lib/1/hosted/office.js></script>" +
      '<script type=application/json id=large-attach-config>{"graphBaseUrl":"x","messageSizeLimit":1}</script>';
    const rewritten = rewriteTaskpaneHtml(minified, {
      scripts: ["/s.js"],
      runtimeConfig: { graphBaseUrl: "http://e/v1.0", messageSizeLimit: 2 },
      connectOrigins: ["http://e"],
      standinConfig: {},
    });
    expect(rewritten).toContain('<script src="/s.js"></script>');
    expect(rewritten).not.toContain("office.js");
    expect(rewritten).toContain('{"graphBaseUrl":"http://e/v1.0","messageSizeLimit":2}');
    expect(rewritten).toContain("connect-src 'self' http://e");
  });

  it("refuses a page it does not recognise", () => {
    expect(() =>
      rewriteTaskpaneHtml("<html></html>", {
        scripts: [],
        runtimeConfig: { graphBaseUrl: "", messageSizeLimit: 1 },
        connectOrigins: [],
        standinConfig: {},
      })
    ).toThrow(/office.js/);
  });

  it("adds a connect-src directive when the policy has none, without duplicates", () => {
    expect(withConnectSources("default-src 'self'", ["http://a"])).toBe(
      "default-src 'self'; connect-src 'self' http://a"
    );
    expect(withConnectSources("connect-src 'self' http://a", ["http://a", "http://b"])).toBe(
      "connect-src 'self' http://a http://b"
    );
  });
});

describe("npm run demo rebuilds only when dist/ is stale", () => {
  let root: string;
  const dist = () => path.join(root, "dist");
  const touch = (file: string, secondsAgo: number) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "x");
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, when, when);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "large-attach-demo-"));
    touch(path.join(root, "src/taskpane/root.tsx"), 100);
    touch(path.join(root, "package.json"), 100);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is stale when dist/ has no taskpane.html (a fresh clone)", () => {
    expect(distIsStale(root, dist())).toBe(true);
  });

  it("is fresh when taskpane.html is newer than every build input", () => {
    touch(path.join(dist(), "taskpane.html"), 10);
    // Directory mtimes count too: make the folders as old as their files.
    for (const dir of ["src/taskpane", "src"]) {
      const when = new Date(Date.now() - 100_000);
      utimesSync(path.join(root, dir), when, when);
    }
    expect(distIsStale(root, dist())).toBe(false);
  });

  it("is stale when a source file changed after the build", () => {
    touch(path.join(dist(), "taskpane.html"), 10);
    touch(path.join(root, "src/taskpane/components/App.tsx"), 1);
    expect(distIsStale(root, dist())).toBe(true);
  });
});
