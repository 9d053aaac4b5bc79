/**
 * The two icons a Teams app package needs, drawn here so no binary lives in the repository: a
 * 192×192 colour icon (two overlapping speech bubbles, white on the accent colour) and a 32×32
 * outline icon (the same bubbles, white on transparent), both PNG.
 */
import { PNG } from 'pngjs';

export const ACCENT = '#1D3557';

type Shape = (x: number, y: number) => boolean;

type Point = [number, number];

function inTriangle(x: number, y: number, [a, b, c]: [Point, Point, Point]): boolean {
  const side = (p: Point, q: Point) => (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** Two speech bubbles in a unit square: a large one up left, a smaller one down right, a gap between. */
const bubbles: Shape = (x, y) => {
  const distance = (cx: number, cy: number) => Math.hypot(x - cx, y - cy);
  const small = distance(0.67, 0.65) <= 0.2 || inTriangle(x, y, [[0.74, 0.8], [0.83, 0.75], [0.88, 0.92]]);
  if (small) return true;
  const gap = distance(0.67, 0.65) <= 0.25;
  const large = distance(0.4, 0.38) <= 0.27 || inTriangle(x, y, [[0.22, 0.52], [0.34, 0.62], [0.14, 0.76]]);
  return large && !gap;
};

function draw(size: number, background: [number, number, number, number], shape: Shape): Buffer {
  const png = new PNG({ width: size, height: size });
  const samples = 4; // supersampling, for smooth edges
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy += 1) for (let sx = 0; sx < samples; sx += 1) if (shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits += 1;
      const cover = hits / (samples * samples);
      const i = (py * size + px) * 4;
      const [r, g, b, a] = background;
      png.data[i] = Math.round(r + (255 - r) * cover);
      png.data[i + 1] = Math.round(g + (255 - g) * cover);
      png.data[i + 2] = Math.round(b + (255 - b) * cover);
      png.data[i + 3] = a === 0 ? Math.round(255 * cover) : a;
    }
  }
  return PNG.sync.write(png);
}

const hex = (c: string): [number, number, number, number] => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16), 255];

export function colorIcon(): Buffer {
  return draw(192, hex(ACCENT), bubbles);
}

export function outlineIcon(): Buffer {
  return draw(32, [255, 255, 255, 0], bubbles);
}
