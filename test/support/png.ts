// Just enough PNG reading for the manifest checks: the size from IHDR, and the pixels of the 8-bit RGBA
// images Chromium's screenshots produce (scripts/draw-icons.ts), so "white on transparent" can be checked.
import { inflateSync } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  /** 6 = RGBA (truecolour with alpha), 2 = RGB, 3 = palette, 0 = grey, 4 = grey + alpha. */
  colorType: number;
}

interface Chunk {
  type: string;
  data: Buffer;
}

function* chunks(png: Buffer): Generator<Chunk> {
  let offset = SIGNATURE.length;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    yield { type, data: png.subarray(offset + 8, offset + 8 + length) };
    offset += 12 + length; // length, type, data, CRC
  }
}

/** The IHDR facts of a PNG, or null when the bytes are not a PNG at all. */
export function readPngInfo(png: Buffer): PngInfo | null {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE)) return null;
  const header = chunks(png).next().value;
  if (!header || header.type !== "IHDR") return null;
  return {
    width: header.data.readUInt32BE(0),
    height: header.data.readUInt32BE(4),
    bitDepth: header.data[8],
    colorType: header.data[9],
  };
}

function paeth(left: number, up: number, upLeft: number): number {
  const p = left + up - upLeft;
  const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
  if (pa <= pb && pa <= pc) return left;
  return pb <= pc ? up : upLeft;
}

/** RGBA bytes (width × height × 4) of an 8-bit RGBA, non-interlaced PNG; throws for any other kind. */
export function readRgba(png: Buffer): { info: PngInfo; pixels: Uint8Array } {
  const info = readPngInfo(png);
  if (!info) throw new Error("not a PNG");
  if (info.colorType !== 6 || info.bitDepth !== 8)
    throw new Error(
      `PNG is colour type ${info.colorType}, ${info.bitDepth}-bit; expected 8-bit RGBA`
    );
  const data = inflateSync(
    Buffer.concat([...chunks(png)].filter((c) => c.type === "IDAT").map((c) => c.data))
  );
  const stride = info.width * 4;
  const pixels = new Uint8Array(stride * info.height);
  for (let y = 0; y < info.height; y++) {
    const filter = data[y * (stride + 1)];
    const row = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? pixels[y * stride + x - 4] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const upLeft = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4] : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`PNG row ${y} has unknown filter ${filter}`);
      pixels[y * stride + x] = (row[x] + predictor) & 0xff;
    }
  }
  return { info, pixels };
}
