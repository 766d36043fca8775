// Renders assets/icon.svg to the PNG sizes the manifest references (16/32/64/80/128) with real
// Chromium, so the committed icons can be regenerated from their source: `npx tsx scripts/draw-icons.ts`.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { launchBrowser } from "../test/support/browser";

export const ICON_SIZES = [16, 32, 64, 80, 128] as const;
const assetsDir = path.resolve(__dirname, "../assets");

async function main(): Promise<void> {
  const svg = await readFile(path.join(assetsDir, "icon.svg"), "utf8");
  const browser = await launchBrowser({ viewport: { width: 128, height: 128 } });
  try {
    const page = await browser.context.newPage();
    for (const size of ICON_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      const sized = svg.replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`);
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`
      );
      const png = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: size, height: size },
      });
      const target = path.join(assetsDir, `icon-${size}.png`);
      await writeFile(target, png);
      console.log(`${path.relative(process.cwd(), target)}  ${png.length} bytes`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
