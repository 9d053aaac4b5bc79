/**
 * A PNG made small enough to go inline in a Teams message (which Teams refuses above about 28 KB):
 * scaled down by whole steps (averaging each block of pixels) and written with a palette of at most
 * 256 colours, the most used ones (the report chart's bars, white and the text keep their colour).
 * Tries larger sizes first and returns the first that fits, or null when even a small one does not.
 */
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

/** The image shrunk by `factor` in each direction, each pixel the average of its block (on white). */
function downscale(src: Rgba, factor: number): Rgba {
  const width = Math.max(1, Math.floor(src.width / factor));
  const height = Math.max(1, Math.floor(src.height / factor));
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const sum = [0, 0, 0];
      let n = 0;
      for (let dy = 0; dy < factor; dy += 1) {
        for (let dx = 0; dx < factor; dx += 1) {
          const sx = x * factor + dx;
          const sy = y * factor + dy;
          if (sx >= src.width || sy >= src.height) continue;
          const i = (sy * src.width + sx) * 4;
          const a = src.data[i + 3]! / 255;
          for (let c = 0; c < 3; c += 1) sum[c]! += src.data[i + c]! * a + 255 * (1 - a);
          n += 1;
        }
      }
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c += 1) data[o + c] = Math.round(sum[c]! / n);
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

const bucketOf = (data: Buffer, i: number) => ((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4);

/** A palette of the most used colours (by 4-bit bucket, each the average of its bucket) and each pixel's index. */
function quantize(img: Rgba): { palette: number[][]; indices: Uint8Array } {
  const pixels = img.width * img.height;
  const count = new Uint32Array(4096);
  const sums = new Float64Array(4096 * 3);
  for (let p = 0; p < pixels; p += 1) {
    const i = p * 4;
    const k = bucketOf(img.data, i);
    count[k] = count[k]! + 1;
    for (let c = 0; c < 3; c += 1) sums[k * 3 + c] = sums[k * 3 + c]! + img.data[i + c]!;
  }
  const used = Array.from(count.keys()).filter((k) => count[k]! > 0);
  const top = used.sort((a, b) => count[b]! - count[a]!).slice(0, 256);
  const palette = top.map((k) => [0, 1, 2].map((c) => Math.round(sums[k * 3 + c]! / count[k]!)));
  // Each bucket's palette entry: its own, or the nearest one for the rare buckets left out.
  const entry = new Int16Array(4096).fill(-1);
  top.forEach((k, i) => (entry[k] = i));
  for (const k of used) {
    if (entry[k]! >= 0) continue;
    const [r, g, b] = [0, 1, 2].map((c) => sums[k * 3 + c]! / count[k]!);
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach(([pr, pg, pb], i) => {
      const d = (pr! - r!) ** 2 + (pg! - g!) ** 2 + (pb! - b!) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    });
    entry[k] = best;
  }
  const indices = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p += 1) indices[p] = entry[bucketOf(img.data, p * 4)]!;
  return { palette, indices };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit indexed PNG (colour type 3). */
function encodeIndexed(width: number, height: number, palette: number[][], indices: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8);
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y += 1) {
    rows[y * (width + 1)] = 0; // filter: none (palette indices compress best unfiltered)
    rows.set(indices.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The PNG at most `maxBytes` long: as it is if it fits, else reduced; null when nothing readable fits. */
export function reducePng(png: Buffer, maxBytes: number): Buffer | null {
  if (png.length <= maxBytes) return png;
  let source: Rgba;
  try {
    source = PNG.sync.read(png);
  } catch {
    return null;
  }
  for (const factor of [1, 2, 3, 4]) {
    const scaled = factor === 1 ? source : downscale(source, factor);
    if (scaled.width < 200) break; // smaller than this, a chart cannot be read
    const { palette, indices } = quantize(scaled);
    const reduced = encodeIndexed(scaled.width, scaled.height, palette, indices);
    if (reduced.length <= maxBytes) return reduced;
  }
  return null;
}
