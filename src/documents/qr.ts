/**
 * The verify QR code, drawn from the module matrix of `qrcode`'s QRCode.create(): as vector
 * rectangles in the PDF and as an inline SVG in the HTML, so both outputs show the same code.
 *
 * Why not qrcode's toBuffer PNG in the PDF: qrcode writes an RGBA PNG, which pdfkit must inflate,
 * split into colour and alpha and deflate again. That cost 20 ms a document, a third of a one-page
 * ruling, while the vector code costs well under 1 ms, prints sharp at any resolution (no viewer
 * smoothing of an upscaled bitmap) and adds a few hundred bytes instead of several kilobytes.
 */
import QRCode from 'qrcode';

/**
 * Error correction M (15%) is what printed documents usually use: a smudged or stamped-over code
 * still reads, and a verify URL stays at version 3-5 (29-37 modules).
 */
const ERROR_CORRECTION = 'M' as const;

/** Dark modules as horizontal runs [x, y, length], in module units, no quiet zone. */
export interface QrMatrix {
  size: number;
  runs: [x: number, y: number, length: number][];
}

export function qrMatrix(url: string): QrMatrix {
  const qr = QRCode.create(url, { errorCorrectionLevel: ERROR_CORRECTION });
  const n = qr.modules.size;
  const data = qr.modules.data;
  const runs: QrMatrix['runs'] = [];
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!data[y * n + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && data[y * n + x]) x++;
      runs.push([start, y, x - start]);
    }
  }
  return { size: n, runs };
}

/** An SVG of the code with a one-module white border; `sizeMm` is its display size. */
export function qrSvg(url: string, sizeMm: number): string {
  const { size: n, runs } = qrMatrix(url);
  const d = runs.map(([x, y, len]) => `M${x} ${y}h${len}v1h-${len}z`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 ${n + 2} ${n + 2}" width="${sizeMm}mm" height="${sizeMm}mm"` +
    ` shape-rendering="crispEdges" role="img" aria-label="QR"><rect x="-1" y="-1" width="${n + 2}" height="${n + 2}" fill="#fff"/>` +
    `<path d="${d}" fill="#000"/></svg>`
  );
}
