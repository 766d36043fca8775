/* eslint-disable no-undef */
// `npm test`'s checks before jest: `node scripts/run-parallel.js typecheck lint build` runs those npm
// scripts at once and fails if any fails. Each is one mostly single-threaded process (tsc, eslint,
// webpack), so on two cores they take about the time of the longest instead of the sum. Output is
// kept per script and printed whole when it ends, so the three logs never interleave.
const { spawn } = require("node:child_process");

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ["run", "-s", script], { stdio: ["ignore", "pipe", "pipe"] });
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("error", (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on("close", (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const ok = code === 0;
      process.stdout.write(
        `\n> ${script}: ${ok ? "ok" : `failed (${signal || `exit ${code}`})`} in ${seconds} s\n`
      );
      process.stdout.write(Buffer.concat(output));
      resolve(ok);
    });
  });
}

function main(scripts) {
  if (scripts.length === 0) {
    console.error("usage: node scripts/run-parallel.js SCRIPT...");
    process.exit(2);
  }
  return Promise.all(scripts.map(run)).then((results) => {
    const failed = scripts.filter((_, i) => !results[i]);
    if (failed.length) {
      console.error(`\n${failed.join(", ")} failed`);
      process.exit(1);
    }
  });
}

main(process.argv.slice(2));
