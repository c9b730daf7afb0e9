// Generates Quicksend's icon set as PNG files, pure Node (zlib + a CRC-32 of our own), so the
// icons are reproducible from this script and need no image tools. The PNGs are committed.
//
//   npx tsx test/support/builder/make-icons.ts           write build/icons/*, build/icon.png, build/tray/*
//   npx tsx test/support/builder/make-icons.ts --check   exit 1 if a committed icon differs from what this renders
//
// App icon: a white envelope on a blue rounded square. Tray icon: an envelope outline,
//   trayTemplate.png (+@2x): black on transparent, a macOS template image (the OS recolours it);
//   tray-light.png (+@2x): dark glyph for light panels/menus; tray-dark.png (+@2x): white glyph for dark ones.
// Shapes are signed distance fields, anti-aliased analytically, so every size is drawn, not scaled.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

type Rgb = readonly [number, number, number];
type Vec = readonly [number, number];

// ---------------------------------------------------------------------------------------- PNG

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes straight (non-premultiplied) RGBA pixels, row-major, as an 8-bit RGBA PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('pixel buffer size does not match width x height');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  // compression 0, filter method 0, interlace 0
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter type None
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Reads width and height from a PNG's IHDR (throws if the bytes are not a PNG). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Header plus decompressed image data of a PNG: equal for equal pixels whatever zlib compressed them. */
function pngContent(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') parts.push(data);
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  return Buffer.concat([...parts, inflateSync(Buffer.concat(idat))]);
}

// ---------------------------------------------------------------------------------- drawing

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

function sdRoundBox(p: Vec, centre: Vec, half: Vec, radius: number): number {
  const qx = Math.abs(p[0] - centre[0]) - (half[0] - radius);
  const qy = Math.abs(p[1] - centre[1]) - (half[1] - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function sdSegment(p: Vec, a: Vec, b: Vec): number {
  const pax = p[0] - a[0];
  const pay = p[1] - a[1];
  const bax = b[0] - a[0];
  const bay = b[1] - a[1];
  const h = clamp01((pax * bax + pay * bay) / (bax * bax + bay * bay));
  return Math.hypot(pax - bax * h, pay - bay * h);
}

/** A straight-alpha RGBA canvas in float, composited with "source over". */
class Canvas {
  readonly px: Float64Array;
  constructor(readonly size: number) {
    this.px = new Float64Array(size * size * 4);
  }

  /** Paints colour(u, v) with coverage(u, v, pixelSize) in [0, 1], in unit coordinates (v points down). */
  paint(coverage: (p: Vec, pixel: number) => number, colour: (p: Vec) => Rgb): void {
    const n = this.size;
    const pixel = 1 / n;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const p: Vec = [(x + 0.5) * pixel, (y + 0.5) * pixel];
        const a = coverage(p, pixel);
        if (a <= 0) continue;
        const [r, g, b] = colour(p);
        const i = (y * n + x) * 4;
        const da = this.px[i + 3]!;
        const oa = a + da * (1 - a);
        const mix = (src: number, dst: number): number => (src * a + dst * da * (1 - a)) / oa;
        this.px[i] = mix(r, this.px[i]!);
        this.px[i + 1] = mix(g, this.px[i + 1]!);
        this.px[i + 2] = mix(b, this.px[i + 2]!);
        this.px[i + 3] = oa;
      }
    }
  }

  toPng(): Buffer {
    const out = new Uint8Array(this.px.length);
    for (let i = 0; i < this.px.length; i += 4) {
      const a = this.px[i + 3]!;
      out[i + 3] = Math.round(clamp01(a) * 255);
      if (out[i + 3] === 0) continue; // fully transparent pixels stay 0,0,0,0
      out[i] = Math.round(clamp01(this.px[i]! / 255) * 255);
      out[i + 1] = Math.round(clamp01(this.px[i + 1]! / 255) * 255);
      out[i + 2] = Math.round(clamp01(this.px[i + 2]! / 255) * 255);
    }
    return encodePng(this.size, this.size, out);
  }
}

/** Coverage of the area where the signed distance is negative, anti-aliased over one pixel. */
const fill = (d: number, pixel: number): number => clamp01(0.5 - d / pixel);

const BLUE_TOP: Rgb = [0x4f, 0x8c, 0xf7];
const BLUE_BOTTOM: Rgb = [0x1d, 0x4e, 0xd8];
const FLAP_BLUE: Rgb = [0x2b, 0x62, 0xe3];
const WHITE: Rgb = [255, 255, 255];

/** The app icon: a white envelope with a blue flap on a blue rounded square, drawn at `size` px. */
export function renderAppIcon(size: number): Buffer {
  const canvas = new Canvas(size);
  const background = (p: Vec): number => sdRoundBox(p, [0.5, 0.5], [0.4375, 0.4375], 0.2);
  canvas.paint(
    (p, pixel) => fill(background(p), pixel),
    (p) => {
      const t = clamp01((p[1] - 0.0625) / 0.875);
      return [0, 1, 2].map((k) => BLUE_TOP[k]! + (BLUE_BOTTOM[k]! - BLUE_TOP[k]!) * t) as unknown as Rgb;
    },
  );
  const envelope = (p: Vec): number => sdRoundBox(p, [0.5, 0.52], [0.27, 0.19], 0.035);
  canvas.paint(
    (p, pixel) => fill(envelope(p), pixel),
    () => WHITE,
  );
  // The flap: a V from the top corners to the middle, clipped to the envelope.
  const halfWidth = Math.max(0.022, 0.6 / size);
  const flap = (p: Vec): number =>
    Math.min(sdSegment(p, [0.255, 0.37], [0.5, 0.56]), sdSegment(p, [0.5, 0.56], [0.745, 0.37])) - halfWidth;
  canvas.paint(
    (p, pixel) => fill(flap(p), pixel) * fill(envelope(p) + 0.02, pixel),
    () => FLAP_BLUE,
  );
  return canvas.toPng();
}

/** The tray glyph: an envelope outline with its flap, in one colour on transparent. */
export function renderTrayIcon(size: number, colour: Rgb): Buffer {
  const canvas = new Canvas(size);
  // Pixel-aligned at 16 and 32 px: a 1 px stroke at 16 px (2 px at 32) whose outline runs through
  // pixel centres, so the box edges are crisp rather than smeared across two pixels.
  const halfWidth = 1 / 32;
  const box = (p: Vec): number => sdRoundBox(p, [0.5, 0.5], [6.5 / 16, 4.5 / 16], 1.5 / 16);
  const outline = (p: Vec): number => Math.abs(box(p)) - halfWidth;
  const flap = (p: Vec): number =>
    Math.max(
      Math.min(sdSegment(p, [1.5 / 16, 3.5 / 16], [0.5, 9 / 16]), sdSegment(p, [0.5, 9 / 16], [14.5 / 16, 3.5 / 16])) -
        halfWidth,
      box(p),
    );
  canvas.paint(
    (p, pixel) => fill(Math.min(outline(p), flap(p)), pixel),
    () => colour,
  );
  return canvas.toPng();
}

const TEMPLATE_BLACK: Rgb = [0, 0, 0];
const GLYPH_FOR_LIGHT_PANELS: Rgb = [0x20, 0x21, 0x24];
const GLYPH_FOR_DARK_PANELS: Rgb = [255, 255, 255];

/** Every icon file this script owns, relative to the repository root, with its size and renderer. */
export function iconFiles(): Array<{ file: string; size: number; render: () => Buffer }> {
  const files: Array<{ file: string; size: number; render: () => Buffer }> = [];
  for (const size of APP_ICON_SIZES) {
    files.push({ file: `build/icons/${size}x${size}.png`, size, render: () => renderAppIcon(size) });
  }
  files.push({ file: 'build/icon.png', size: 1024, render: () => renderAppIcon(1024) });
  const tray: Array<[string, Rgb]> = [
    ['trayTemplate', TEMPLATE_BLACK],
    ['tray-light', GLYPH_FOR_LIGHT_PANELS],
    ['tray-dark', GLYPH_FOR_DARK_PANELS],
  ];
  for (const [name, colour] of tray) {
    files.push({ file: `build/tray/${name}.png`, size: 16, render: () => renderTrayIcon(16, colour) });
    files.push({ file: `build/tray/${name}@2x.png`, size: 32, render: () => renderTrayIcon(32, colour) });
  }
  return files;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Writes the icon set under `root` (the repository by default). */
export async function writeIcons(root: string = REPO_ROOT): Promise<string[]> {
  const written: string[] = [];
  const cache = new Map<number, Buffer>();
  for (const { file, size, render } of iconFiles()) {
    const target = path.join(root, file);
    await mkdir(path.dirname(target), { recursive: true });
    // icon.png and icons/1024x1024.png are the same picture; render it once.
    const png = file.includes('/tray/') ? render() : (cache.get(size) ?? render());
    if (!file.includes('/tray/')) cache.set(size, png);
    await writeFile(target, png);
    written.push(file);
  }
  return written;
}

/** Lists committed icons that are missing or whose pixels differ from what this script renders. */
export async function staleIcons(root: string = REPO_ROOT): Promise<string[]> {
  const stale: string[] = [];
  for (const { file, render } of iconFiles()) {
    const target = path.join(root, file);
    if (!existsSync(target)) {
      stale.push(`${file} (missing)`);
      continue;
    }
    if (!pngContent(await readFile(target)).equals(pngContent(render()))) stale.push(`${file} (differs)`);
  }
  return stale;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (process.argv.includes('--check')) {
    const stale = await staleIcons();
    if (stale.length > 0) {
      console.error(`Icons out of date, run: npx tsx test/support/builder/make-icons.ts\n  ${stale.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`${iconFiles().length} icons match make-icons.ts`);
  } else {
    const written = await writeIcons();
    console.log(`wrote ${written.length} icons:\n  ${written.join('\n  ')}`);
  }
}
