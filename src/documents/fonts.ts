/**
 * The CJK fonts (Noto Sans Hans, from the npm package @embedpdf/fonts-sc), read and parsed once
 * per process.
 *
 * Why parsed here and not left to pdfkit: given a Buffer, pdfkit parses the 8 MB OpenType font
 * again for every document (fontkit.create, then the whole CFF table on first use), which costs
 * about 35 ms a document; given an already parsed fontkit font, it only subsets it. pdfkit >= 0.17
 * accepts a fontkit font object as a font source. We parse with the very fontkit pdfkit itself
 * depends on (resolved from pdfkit's own location), so the object is of the version pdfkit expects.
 * A shared font object is safe: pdfkit keeps its subset and width tables per document, and
 * fontkit's glyph caches only ever grow. The subset each document embeds is made by
 * cff-subset.ts rather than fontkit (see there why).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fastCffFont } from './cff-subset.ts';

const require = createRequire(import.meta.url);

/** What pdfkit accepts as a font: a parsed fontkit font, or the file's bytes as a fallback. */
export type FontSource = Buffer | { layout: (...args: unknown[]) => unknown };

export interface CjkFonts {
  /** The fonts as renderPdf registers them: parsed, with the faster subsetter of cff-subset.ts. */
  regular: FontSource;
  bold: FontSource;
  /** The same fonts as fontkit parsed them, subset by fontkit (what plain pdfkit would do). */
  plain: { regular: FontSource; bold: FontSource };
  /** Where the files were read from, for error messages and tests. */
  dir: string;
  /** true when pdfkit's fontkit parsed them once here; false when pdfkit must parse per document. */
  parsed: boolean;
}

let cached: CjkFonts | undefined;

/**
 * The directory of the OTF files. The package's `exports` only lists its JavaScript entry, so
 * `@embedpdf/fonts-sc/fonts/...` cannot be resolved directly: we resolve the entry
 * (dist/index.cjs) and go up to the package root.
 */
export function fontDir(): string {
  const entry = require.resolve('@embedpdf/fonts-sc');
  return join(dirname(entry), '..', 'fonts');
}

/** Reads and parses the fonts on first use; later calls return the same objects. */
export function cjkFonts(): CjkFonts {
  if (cached) return cached;
  const dir = fontDir();
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file));
    } catch (err) {
      throw new Error(`cannot read the CJK font ${join(dir, file)} (is @embedpdf/fonts-sc installed?)`, {
        cause: err,
      });
    }
  };
  const regularBytes = read('NotoSansHans-Regular.otf');
  const boldBytes = read('NotoSansHans-Bold.otf');
  const fontkit = pdfkitsFontkit();
  if (fontkit) {
    const regular = fontkit.create(regularBytes);
    const bold = fontkit.create(boldBytes);
    cached = {
      regular: fastCffFont(regular),
      bold: fastCffFont(bold),
      plain: { regular, bold },
      dir,
      parsed: true,
    };
  } else {
    const plain = { regular: regularBytes, bold: boldBytes };
    cached = { ...plain, plain, dir, parsed: false };
  }
  return cached;
}

interface Fontkit {
  create(data: Uint8Array): FontSource;
}

/** The fontkit that pdfkit depends on, or undefined (then pdfkit parses the bytes itself). */
function pdfkitsFontkit(): Fontkit | undefined {
  try {
    const fromPdfkit = createRequire(require.resolve('pdfkit'));
    const fontkit = fromPdfkit('fontkit') as Fontkit;
    return typeof fontkit?.create === 'function' ? fontkit : undefined;
  } catch {
    return undefined;
  }
}
