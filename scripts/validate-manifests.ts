// `npm run validate [-- DIR]`: checks both manifests (the committed ones, or DIR/manifest.xml and
// DIR/manifest.json, e.g. `-- dist` after a build for a deployment origin) and says which checks ran:
// - the offline checks that `npm test` runs (manifest-checks.ts, unified-manifest-checks.ts: the official
//   JSON schema, URLs, ids, icons, the Send guard, the two manifests' agreement);
// - Microsoft's validation service for manifest.xml (`office-addin-manifest validate`, online only);
// - `office-addin-manifest validate manifest.json` (its own schema check of the unified manifest).
// Exits 1 when a check that ran failed; a service that cannot be reached is reported as NOT RUN, not passed.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { checkManifest } from "../test/support/manifest-checks";
import { unifiedExpectations, xmlExpectations } from "../test/support/manifest-expectations";
import {
  checkManifestsAgree,
  checkUnifiedManifest,
  type ManifestProblem,
} from "../test/support/unified-manifest-checks";

type Outcome = { status: "passed" | "FAILED" | "NOT RUN"; detail?: string };

const rootDir = path.resolve(__dirname, "..");

function offline(problems: ManifestProblem[]): Outcome {
  if (problems.length === 0) return { status: "passed" };
  return { status: "FAILED", detail: problems.map((p) => `[${p.rule}] ${p.message}`).join("\n") };
}

// office-addin-manifest exits 0 for a valid manifest and prints nothing for a valid JSON one.
function officeAddinManifest(file: string): Outcome {
  const bin = path.join(rootDir, "node_modules/.bin/office-addin-manifest");
  const run = spawnSync(bin, ["validate", file], { encoding: "utf8", timeout: 120_000 });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim();
  if (run.error) return { status: "NOT RUN", detail: run.error.message };
  if (/Unable to contact the manifest validation service/.test(output))
    return { status: "NOT RUN", detail: "Microsoft's validation service could not be reached" };
  return run.status === 0 ? { status: "passed" } : { status: "FAILED", detail: output };
}

function main(): void {
  const dir = path.resolve(process.argv[2] ?? rootDir);
  const xmlFile = path.join(dir, "manifest.xml");
  const jsonFile = path.join(dir, "manifest.json");
  const xml = readFileSync(xmlFile, "utf8");
  const json = JSON.parse(readFileSync(jsonFile, "utf8"));
  const unified = unifiedExpectations(rootDir);
  const results: [string, Outcome][] = [
    ["manifest.xml  offline checks", offline(checkManifest(xml, xmlExpectations(rootDir)))],
    [
      `manifest.json offline checks (schema v${unified.schemaVersion} and more)`,
      offline(checkUnifiedManifest(json, unified)),
    ],
    ["both          agree on what they share", offline(checkManifestsAgree(xml, json))],
    ["manifest.xml  Microsoft's validation service (online)", officeAddinManifest(xmlFile)],
    ["manifest.json office-addin-manifest validate", officeAddinManifest(jsonFile)],
  ];
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  console.log(`Validating ${shown(xmlFile)} and ${shown(jsonFile)}:`);
  for (const [check, outcome] of results) {
    console.log(`  ${outcome.status.padEnd(8)} ${check}`);
    if (outcome.detail) console.log(outcome.detail.replace(/^/gm, "             "));
  }
  if (results.some(([, outcome]) => outcome.status === "FAILED")) process.exitCode = 1;
}

main();
