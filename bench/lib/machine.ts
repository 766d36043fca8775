// Facts about the machine a result was measured on, stored beside every result.
import { execFile } from "node:child_process";
import { cpus, platform, release, totalmem } from "node:os";
import { promisify } from "node:util";
import { findChromium } from "../../test/support/browser";

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string | null;
  graphSdk: string | null;
}

export async function machineFacts(): Promise<MachineFacts> {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: await chromiumVersion(),
    graphSdk: packageVersion("@microsoft/microsoft-graph-client"),
  };
}

async function chromiumVersion(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)(findChromium(), ["--version"], {
      timeout: 10_000,
    });
    return stdout.trim();
  } catch {
    return null;
  }
}

function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}
