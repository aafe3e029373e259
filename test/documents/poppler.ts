/**
 * Reads PDFs back with poppler-utils (Debian package `poppler-utils`: pdftotext, pdffonts), the
 * way a reader's tools would, rather than trusting our own writer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a poppler tool on `pdf` written to a temp file; fails clearly when poppler is missing. */
function withPdf<T>(pdf: Buffer, run: (file: string) => T): T {
  if (!hasTool('pdftotext')) {
    throw new Error('pdftotext not found: apt-get install -y poppler-utils');
  }
  const dir = mkdtempSync(join(tmpdir(), 'neikong-doc-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of each page (pdftotext separates pages with a form feed). */
export function pdfPages(pdf: Buffer, layout = false): string[] {
  const text = withPdf(pdf, (file) =>
    execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
    }),
  );
  const pages = text.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/** pdffonts' table: name, type, embedded, subset, has ToUnicode. */
export function pdfFonts(
  pdf: Buffer,
): { name: string; type: string; emb: boolean; sub: boolean; uni: boolean }[] {
  const out = withPdf(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // name, type (may be 2-3 words), encoding, emb, sub, uni, object, ID
      const [emb, sub, uni] = cols.slice(-5, -2);
      return {
        name: cols[0],
        type: cols.slice(1, -6).join(' '),
        emb: emb === 'yes',
        sub: sub === 'yes',
        uni: uni === 'yes',
      };
    });
}

/** zbarimg (Debian `zbar-tools`) is optional: the QR round-trip test runs only where it is. */
export const hasZbar = (() => {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
    return hasTool('pdftoppm');
  } catch {
    return false;
  }
})();

/** Rasterises every page and decodes the QR codes on them. */
export function decodeQr(pdf: Buffer): string[] {
  return withPdf(pdf, (file) => {
    execFileSync('pdftoppm', ['-png', '-r', '150', file, join(dirname(file), 'page')]);
    const pngs = readdirSync(dirname(file))
      .filter((f) => f.startsWith('page') && f.endsWith('.png'))
      .map((f) => join(dirname(file), f));
    // zbarimg exits 4 when some image holds no code: read its output whatever the status.
    const { stdout } = spawnSync('zbarimg', ['-q', '--raw', ...pngs], { encoding: 'utf8' });
    return stdout.split('\n').filter(Boolean);
  });
}
