// Renders assets/icon.svg with real Chromium into every PNG the two manifests reference, so the committed
// icons can be regenerated from their one source: `npx tsx scripts/draw-icons.ts`.
// - icon-16/32/64/80/128.png: the tile as drawn, for the ribbon buttons and the XML manifest's icons;
// - color.png (192 × 192): the unified manifest's full-colour app icon;
// - outline.png (32 × 32): the unified manifest's outline icon, white on transparent — the same glyph
//   without its blue tile (the tile is the one <rect> in the SVG; everything else is drawn in white).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { launchBrowser } from "../test/support/browser";

export const ICON_SIZES = [16, 32, 64, 80, 128] as const;
const assetsDir = path.resolve(__dirname, "../assets");

interface IconJob {
  file: string;
  size: number;
  svg: string;
}

/** The glyph alone: the SVG without its tile (<rect>) and the tile's gradient. */
export function outlineSvg(svg: string): string {
  const glyph = svg.replace(/<defs>[\s\S]*?<\/defs>/, "").replace(/<rect\b[^>]*\/>/, "");
  if (glyph === svg || /<rect\b/.test(glyph))
    throw new Error(
      "icon.svg: expected one <defs> and one <rect> tile to remove for the outline icon"
    );
  return glyph;
}

function jobs(svg: string): IconJob[] {
  return [
    ...ICON_SIZES.map((size) => ({ file: `icon-${size}.png`, size, svg })),
    { file: "color.png", size: 192, svg },
    { file: "outline.png", size: 32, svg: outlineSvg(svg) },
  ];
}

async function main(): Promise<void> {
  const svg = await readFile(path.join(assetsDir, "icon.svg"), "utf8");
  const browser = await launchBrowser({ viewport: { width: 192, height: 192 } });
  try {
    const page = await browser.context.newPage();
    for (const { file, size, svg: source } of jobs(svg)) {
      await page.setViewportSize({ width: size, height: size });
      const sized = source.replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`);
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`
      );
      const png = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: size, height: size },
      });
      const target = path.join(assetsDir, file);
      await writeFile(target, png);
      console.log(`${path.relative(process.cwd(), target)}  ${size}×${size}  ${png.length} bytes`);
    }
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
