// Types for scripts/manifests.js (plain CommonJS so webpack.config.js can load it), for the tests.
import type { Compiler } from "webpack";

export interface ManifestSources {
  /** package.json's version, n.n.n */
  version: string;
  /** manifest.xml's text */
  xml: string;
  /** manifest.json, parsed */
  json: unknown;
}

export const DEV_ORIGIN: string;
export const APP_PACKAGE: string;
/** dist/.well-known/microsoft-officeaddins-allowed.json: the scripts classic Outlook's JavaScript runtime may run with SSO / CORS. */
export const OFFICE_ADDINS_ALLOWED: string;
export function resolveOrigin(env?: Record<string, string | undefined>): string;
export function readSources(rootDir: string): ManifestSources;
export function deriveFromSources(
  sources: ManifestSources,
  origin?: string
): { xml: string; json: string };
export function deriveManifests(rootDir: string, origin?: string): { xml: string; json: string };
/** The task-pane button id per surface, from manifest.xml (the Send guard's Smart Alerts commandId). */
export function paneButtonIds(rootDir: string): { message?: string; appointment?: string };
export function appPackage(
  manifestJson: string,
  readPackageFile: (file: string) => Uint8Array
): Buffer;
export function packageFileReader(rootDir: string): (file: string) => Uint8Array;
export class AddinManifestsPlugin {
  constructor(options: { rootDir: string; origin: string });
  plannedOutputs(): string[];
  apply(compiler: Compiler): void;
}
