// Three projects so a developer can run one layer at a time (`npm run test:unit` etc.);
// `npm test` runs them all. Browser tests drive real Chromium against the built pages,
// so they run after `npm run build` (each file starts its own browser).
const esmOnly = "strip-bom|uuid|node-fetch|data-uri-to-buffer|fetch-blob|formdata-polyfill";
const common = {
  testEnvironment: "node",
  transform: { "\\.[jt]sx?$": "babel-jest" },
  transformIgnorePatterns: [`/node_modules/(?!(.*/node_modules/)?(${esmOnly})/)`],
  moduleFileExtensions: ["ts", "tsx", "js", "jsx", "json", "mjs", "cjs"],
};

module.exports = {
  testTimeout: 60_000,
  // Two files at a time, also on 2 cores (jest's default there is one, in band): most of a browser or
  // integration file is waiting — on a bandwidth cap, a stall bound, a retry delay, a child process —
  // so a second file fills that time. Each file still gets its own emulator, ports and Chromium.
  // `-w 1` on the command line still runs one file at a time.
  maxWorkers: 2,
  // One timer a test leaves behind (an engine request still waiting, whose stall bound is up to a
  // minute and is retried) once kept the whole run alive for minutes after the last test (found:
  // test/unit/upload/upload-host.test.ts, fixed). A finished run must end: CI has no one to press Ctrl+C.
  forceExit: true,
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.{ts,tsx}"] },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
    { ...common, displayName: "browser", testMatch: ["<rootDir>/test/browser/**/*.test.ts"] },
  ],
};
