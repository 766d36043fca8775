// Builds the add-in's pages into dist/: one HTML page + content-hashed bundles per entry in PAGES, the
// Send guard's runtime (SEND_GUARD), the static help/privacy/terms pages (INFO_PAGES), the icons, both
// manifests and the app package (scripts/manifests.js). Plain CommonJS on purpose (webpack-cli 7 loads it
// on Node 20 without rechoir).
const fs = require("node:fs");
const path = require("node:path");
const { parseEnv } = require("node:util");
const webpack = require("webpack");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const { AddinManifestsPlugin, paneButtonIds, resolveOrigin } = require("./scripts/manifests");

// Add a page here (the auth owner adds the sign-in dialog): { name, entry, template }.
const PAGES = [
  { name: "taskpane", entry: "./src/taskpane/index.tsx", template: "./src/taskpane/taskpane.html" },
  // Sign-in dialog (Office dialog API fallback when nested app auth is unavailable); also its redirect URI.
  {
    name: "dialog",
    entry: "./src/auth/dialog/index.ts",
    template: "./src/auth/dialog/dialog.html",
  },
];

// The Send guard's event runtime (issue #16), named by both manifests: commands.html for Outlook on the web,
// new Outlook and Mac, and commands.js itself for classic Outlook on Windows, whose JavaScript-only runtime
// loads that URL directly — so its name carries no content hash. The entry is src/commands (the Send guard:
// it checks through Graph that the files attached through Graph are still on the item).
const SEND_GUARD = {
  name: "commands",
  entry: "./src/commands/index.ts",
  template: "./src/commands/commands.html",
};

// Pages without script that both manifests link to (support, privacy statement, terms of use).
const INFO_PAGES = ["support", "privacy", "terms"];
const INFO_PAGE_STYLE =
  "body{font:15px/1.5 'Segoe UI',system-ui,sans-serif;margin:0;color:#242424}" +
  "main{max-width:44rem;margin:0 auto;padding:1.5rem}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.8rem}" +
  "table{border-collapse:collapse}th,td{border:1px solid #d1d1d1;padding:.4rem .6rem;text-align:left;vertical-align:top}" +
  "a{color:#0f6cbd}code{font-size:.9em}";

// Build-time auth settings (see .env.example). Environment variables win over the .env file.
const AUTH_ENV_KEYS = [
  "LARGE_ATTACH_CLIENT_ID",
  "LARGE_ATTACH_AUTHORITY",
  "LARGE_ATTACH_DIALOG_REDIRECT_URI",
];

// Content-Security-Policy of every page. The playground rewrites connect-src to reach the emulator.
const CSP = {
  "default-src": ["'self'"],
  "script-src": ["'self'", "https://appsforoffice.microsoft.com"],
  // Fluent UI (Griffel) inserts <style> rules at runtime.
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'", "data:"],
  "connect-src": [
    "'self'",
    "https://graph.microsoft.com",
    "https://login.microsoftonline.com",
    "https://outlook.office.com",
    "https://outlook.office365.com",
  ],
  // MSAL's silent and popup flows, and office.js's own frames.
  "frame-src": [
    "'self'",
    "https://login.microsoftonline.com",
    "https://appsforoffice.microsoft.com",
  ],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
};

function readAuthEnv(rootDir) {
  const envFile = path.join(rootDir, ".env");
  const fromFile = fs.existsSync(envFile) ? parseEnv(fs.readFileSync(envFile, "utf8")) : {};
  return Object.fromEntries(
    AUTH_ENV_KEYS.map((key) => [key, process.env[key] ?? fromFile[key] ?? ""])
  );
}

function cspString(isDev) {
  const policy = { ...CSP };
  // webpack-dev-server's live-reload socket; never in a production page.
  if (isDev)
    policy["connect-src"] = [...policy["connect-src"], "ws://localhost:*", "http://localhost:*"];
  return Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(" ")}`)
    .join("; ");
}

// Dev-only code (emulator, playground host, stand-in auth bridge) must never reach a shipped bundle.
class ForbidDevModulesPlugin {
  constructor(devDir) {
    this.devDir = devDir;
  }
  apply(compiler) {
    compiler.hooks.compilation.tap("ForbidDevModulesPlugin", (compilation) => {
      compilation.hooks.finishModules.tap("ForbidDevModulesPlugin", (modules) => {
        for (const module of modules) {
          const resource = module.resource || "";
          if (resource.startsWith(this.devDir + path.sep)) {
            compilation.errors.push(
              new webpack.WebpackError(
                `production bundle must not include dev code: ${path.relative(compiler.context, resource)}`
              )
            );
          }
        }
      });
    });
  }
}

function createConfig(env = {}, argv = {}, httpsOptions = undefined) {
  const mode = argv.mode || "production";
  const isDev = mode === "development";
  const rootDir = __dirname;
  const authEnv = readAuthEnv(rootDir);

  return {
    mode,
    context: rootDir,
    devtool: isDev ? "source-map" : false, // no eval(): the page's CSP has no 'unsafe-eval'
    entry: Object.fromEntries([...PAGES, SEND_GUARD].map((page) => [page.name, page.entry])),
    output: {
      path: path.resolve(rootDir, "dist"),
      filename: (pathData) =>
        pathData.chunk.name === SEND_GUARD.name ? "[name].js" : "[name].[contenthash].js",
      // Lazy chunks, loaded by the pages' own <script src> from 'self' (the CSP allows nothing else): the
      // pane's auth, auth-dialog-fallback, rows, share and locale-zh-CN (src/taskpane/chunks.ts) and the
      // Fluent parts webpack splits out of them (numeric names).
      chunkFilename: "[name].[contenthash].js",
      assetModuleFilename: "assets/[name].[contenthash][ext]",
      clean: true,
      // Rewrite every file on each build, unchanged or not: `npm run demo` judges dist/ stale by
      // taskpane.html's mtime, which a skipped write would leave older than the build inputs.
      compareBeforeEmit: false,
    },
    resolve: { extensions: [".ts", ".tsx", ".js", ".jsx", ".json"] },
    module: {
      rules: [
        {
          test: /\.[jt]sx?$/,
          exclude: /node_modules/,
          use: { loader: "babel-loader", options: { cacheDirectory: true } },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      ...[...PAGES, SEND_GUARD].map(
        (page) =>
          new HtmlWebpackPlugin({
            filename: `${page.name}.html`,
            template: page.template,
            chunks: [page.name],
            // Unminified on purpose: the playground and tests find `id="large-attach-config"` and the CSP
            // meta by their literal markup, and the page is 1 KB anyway.
            minify: false,
            templateParameters: { csp: cspString(isDev) },
          })
      ),
      ...INFO_PAGES.map(
        (name) =>
          new HtmlWebpackPlugin({
            filename: `${name}.html`,
            template: `./src/pages/${name}.html`,
            chunks: [],
            inject: false,
            minify: false,
            templateParameters: { csp: cspString(isDev), style: INFO_PAGE_STYLE },
          })
      ),
      new CopyWebpackPlugin({
        patterns: [
          // Already-optimised files: `minimized` keeps Terser and friends away from them.
          { from: "assets/*", to: "assets/[name][ext]", info: { minimized: true } },
        ],
      }),
      // dist/manifest.xml, dist/manifest.json and dist/large-attach.zip, every URL at LARGE_ATTACH_ORIGIN.
      new AddinManifestsPlugin({ rootDir, origin: resolveOrigin(process.env) }),
      new webpack.DefinePlugin({
        ...Object.fromEntries(
          Object.entries(authEnv).map(([key, value]) => [
            `process.env.${key}`,
            JSON.stringify(value),
          ])
        ),
        // The Send guard's Smart Alerts commandId per surface: manifest.xml's task-pane button ids, which
        // scripts/manifests.js also writes into manifest.json, so one id names the button in either manifest.
        "process.env.LARGE_ATTACH_PANE_BUTTONS": JSON.stringify(
          JSON.stringify(paneButtonIds(rootDir))
        ),
      }),
      ...(isDev ? [] : [new ForbidDevModulesPlugin(path.resolve(rootDir, "dev"))]),
    ],
    devServer: {
      // Plain http on localhost for the playground and tests. Real Outlook needs https: `--env https`
      // (used by `npm start`, see README) loads the office-addin-dev-certs certificate.
      host: "localhost",
      server: httpsOptions ? { type: "https", options: httpsOptions } : "http",
      port: Number(env.port || process.env.npm_package_config_dev_server_port || 3000),
      static: false,
      headers: { "Access-Control-Allow-Origin": "*" },
      client: { overlay: { warnings: false } },
    },
  };
}

// The dev certificate is read only when https is asked for: office-addin-dev-certs needs an installed
// CA (and sudo on Linux), which CI and the playground neither have nor need.
module.exports = async (env = {}, argv = {}) => {
  const wantsHttps = Boolean(env.https) || process.env.LARGE_ATTACH_HTTPS === "1";
  const httpsOptions = wantsHttps
    ? await require("office-addin-dev-certs").getHttpsServerOptions()
    : undefined;
  return createConfig(env, argv, httpsOptions);
};

module.exports.createConfig = createConfig;
module.exports.PAGES = PAGES;
module.exports.SEND_GUARD = SEND_GUARD;
module.exports.INFO_PAGES = INFO_PAGES;
module.exports.AUTH_ENV_KEYS = AUTH_ENV_KEYS;
module.exports.CSP = CSP;
