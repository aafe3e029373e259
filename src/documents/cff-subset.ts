/**
 * A faster CFF subsetter for the CJK fonts, handed to pdfkit in place of fontkit's.
 *
 * Why: fontkit's CFF subset keeps every subroutine slot of the font (Noto Sans Hans has 22,293
 * local subroutines in its ideograph dictionary), writing a one-byte `return` for each unused one
 * through its generic struct encoder. That cost about 17 ms and 90 KB per font per document, most
 * of a ruling's rendering time and size. Here each glyph's charstring is desubroutinized once per
 * process (its subroutine calls inlined) and cached; a document's subset is then those cached
 * charstrings copied into a small CID-keyed CFF with no subroutines at all. The glyph outlines are
 * the same; the font program is smaller and its bytes depend only on the glyphs used, in the order
 * first used, so a document still renders to the same bytes every time.
 *
 * pdfkit asks a font object for `createSubset()` and then calls `includeGlyph(gid)` and `encode()`
 * on what it gets; `fastCffFont` returns a font object that differs from fontkit's only there and
 * in remembering `layout` across documents (see sharedLayout).
 * Anything this subsetter does not understand (a charstring using the deprecated arithmetic
 * operators, a computed subroutine number) makes it fall back to fontkit's subset for that font.
 */

/** The parts of a parsed fontkit font used here. */
interface FontkitFont {
  createSubset(): unknown;
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
  stream: { buffer: Uint8Array };
  postscriptName: string;
}

interface Index {
  /** Absolute offsets into the CFF data of each item, plus the end of the last. */
  starts: number[];
}

interface DictEntry {
  op: number;
  operands: number[];
  raw: Uint8Array;
}

interface ParsedCff {
  data: Uint8Array;
  name: string;
  top: DictEntry[];
  charStrings: Index;
  gsubrs: Index;
  /** Per font dict: its raw entries, its private dict's entries and local subroutines. */
  fds: { dict: DictEntry[]; priv: DictEntry[]; subrs: Index | null }[];
  fdOf: (gid: number) => number;
}

class Unsupported extends Error {}

const itemOf = (ix: Index, data: Uint8Array, i: number) => data.subarray(ix.starts[i], ix.starts[i + 1]);
const countOf = (ix: Index) => ix.starts.length - 1;

function readIndex(data: Uint8Array, pos: number): { index: Index; end: number } {
  const count = (data[pos] << 8) | data[pos + 1];
  if (count === 0) return { index: { starts: [pos + 2] }, end: pos + 2 };
  const offSize = data[pos + 2];
  const base = pos + 3 + (count + 1) * offSize - 1;
  const starts: number[] = new Array(count + 1);
  let p = pos + 3;
  for (let i = 0; i <= count; i++) {
    let v = 0;
    for (let k = 0; k < offSize; k++) v = v * 256 + data[p++];
    starts[i] = base + v;
  }
  return { index: { starts }, end: starts[count] };
}

function readDict(data: Uint8Array, start: number, end: number): DictEntry[] {
  const out: DictEntry[] = [];
  let operands: number[] = [];
  let from = start;
  let p = start;
  while (p < end) {
    const b = data[p];
    if (b <= 21) {
      let op = b;
      p++;
      if (b === 12) op = 1200 + data[p++];
      out.push({ op, operands, raw: data.subarray(from, p) });
      operands = [];
      from = p;
    } else if (b === 28) {
      operands.push(((data[p + 1] << 24) | (data[p + 2] << 16)) >> 16);
      p += 3;
    } else if (b === 29) {
      operands.push((data[p + 1] << 24) | (data[p + 2] << 16) | (data[p + 3] << 8) | data[p + 4]);
      p += 5;
    } else if (b === 30) {
      // A real: nibbles up to the 0xf terminator. Its value is never needed here, only its bytes.
      p++;
      while (p < end && (data[p] & 0x0f) !== 0x0f && (data[p] & 0xf0) !== 0xf0) p++;
      p++;
      operands.push(Number.NaN);
    } else if (b >= 32 && b <= 246) {
      operands.push(b - 139);
      p++;
    } else if (b >= 247 && b <= 250) {
      operands.push((b - 247) * 256 + data[p + 1] + 108);
      p += 2;
    } else if (b >= 251 && b <= 254) {
      operands.push(-(b - 251) * 256 - data[p + 1] - 108);
      p += 2;
    } else throw new Unsupported(`bad DICT byte ${b}`);
  }
  return out;
}

const entry = (dict: DictEntry[], op: number) => dict.find((e) => e.op === op);

function parseCff(font: FontkitFont): ParsedCff {
  const table = font.directory.tables['CFF '];
  if (!table) throw new Unsupported('not a CFF font');
  const all = font.stream.buffer;
  const data = all.subarray(table.offset, table.offset + table.length);
  if (data[0] !== 1) throw new Unsupported('CFF version 1 only');
  const names = readIndex(data, data[2]);
  const tops = readIndex(data, names.end);
  const strings = readIndex(data, tops.end);
  const gsubrs = readIndex(data, strings.end);
  const top = readDict(data, tops.index.starts[0], tops.index.starts[1]);
  if (!entry(top, 1230)) throw new Unsupported('not a CID-keyed font');
  const cs = entry(top, 17);
  const fdArray = entry(top, 1236);
  const fdSelect = entry(top, 1237);
  if (!cs || !fdArray || !fdSelect) throw new Unsupported('CID font without CharStrings/FDArray/FDSelect');
  const charStrings = readIndex(data, cs.operands[0]).index;
  const fdIndex = readIndex(data, fdArray.operands[0]).index;
  const fds: ParsedCff['fds'] = [];
  for (let i = 0; i < countOf(fdIndex); i++) {
    const dict = readDict(data, fdIndex.starts[i], fdIndex.starts[i + 1]);
    const p = entry(dict, 18);
    let priv: DictEntry[] = [];
    let subrs: Index | null = null;
    if (p) {
      const [size, offset] = p.operands;
      priv = readDict(data, offset, offset + size);
      const s = entry(priv, 19);
      if (s) subrs = readIndex(data, offset + s.operands[0]).index;
    }
    fds.push({ dict, priv, subrs });
  }
  const sel = fdSelect.operands[0];
  const nGlyphs = countOf(charStrings);
  let fdOf: (gid: number) => number;
  if (data[sel] === 0) {
    fdOf = (gid) => data[sel + 1 + gid];
  } else if (data[sel] === 3) {
    const n = (data[sel + 1] << 8) | data[sel + 2];
    const firsts: number[] = [];
    const fdsOf: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = sel + 3 + i * 3;
      firsts.push((data[at] << 8) | data[at + 1]);
      fdsOf.push(data[at + 2]);
    }
    const map = new Uint8Array(nGlyphs);
    for (let i = 0; i < n; i++) {
      const end = i + 1 < n ? firsts[i + 1] : nGlyphs;
      map.fill(fdsOf[i], firsts[i], end);
    }
    fdOf = (gid) => map[gid];
  } else throw new Unsupported(`FDSelect format ${data[sel]}`);
  const name = new TextDecoder('latin1').decode(itemOf(names.index, data, 0));
  return { data, name, top, charStrings, gsubrs: gsubrs.index, fds, fdOf };
}

const bias = (count: number) => (count < 1240 ? 107 : count < 33900 ? 1131 : 32768);

/** Escape operators that take their operands and clear the stack (flex family, dotsection). */
const CLEARING_ESCAPES = new Set([0, 34, 35, 36, 37]);

/**
 * The glyph's charstring with every callsubr/callgsubr replaced by the subroutine's body (without
 * its `return`), so it needs no subroutines. Hint masks are copied as they are: their length
 * follows the stems declared so far, counted across calls as a renderer counts them.
 */
function desubroutinize(cff: ParsedCff, gid: number): Uint8Array {
  const { data } = cff;
  const fd = cff.fds[cff.fdOf(gid)];
  const local = fd?.subrs ?? null;
  const out: number[] = [];
  let stack = 0;
  let stems = 0;
  let depth = 0;
  let ended = false;
  /** Start of the last number token in `out` and its value, for the subroutine number. */
  let lastNum = -1;
  let lastValue = 0;

  const run = (start: number, end: number) => {
    if (++depth > 10) throw new Unsupported('subroutines nested too deep');
    let p = start;
    while (p < end && !ended) {
      const b = data[p];
      if (b >= 32 || b === 28) {
        const at = out.length;
        let v: number;
        let len: number;
        if (b === 28) {
          v = ((data[p + 1] << 24) | (data[p + 2] << 16)) >> 16;
          len = 3;
        } else if (b <= 246) {
          v = b - 139;
          len = 1;
        } else if (b <= 250) {
          v = (b - 247) * 256 + data[p + 1] + 108;
          len = 2;
        } else if (b <= 254) {
          v = -(b - 251) * 256 - data[p + 1] - 108;
          len = 2;
        } else {
          v = Number.NaN; // 16.16 fixed: never a subroutine number
          len = 5;
        }
        for (let k = 0; k < len; k++) out.push(data[p + k]);
        p += len;
        stack++;
        lastNum = at;
        lastValue = v;
        continue;
      }
      p++;
      switch (b) {
        case 10: // callsubr
        case 29: {
          // callgsubr
          const subrs = b === 10 ? local : cff.gsubrs;
          if (!subrs || lastNum < 0 || lastNum !== out.length - numLen(out, lastNum))
            throw new Unsupported('computed subroutine number');
          if (!Number.isInteger(lastValue)) throw new Unsupported('bad subroutine number');
          const i = lastValue + bias(countOf(subrs));
          if (i < 0 || i >= countOf(subrs)) throw new Unsupported('subroutine out of range');
          out.length = lastNum;
          stack--;
          lastNum = -1;
          run(subrs.starts[i], subrs.starts[i + 1]);
          break;
        }
        case 11: // return
          depth--;
          return;
        case 14: // endchar
          out.push(b);
          ended = true;
          break;
        case 1: // hstem
        case 3: // vstem
        case 18: // hstemhm
        case 23: // vstemhm
          stems += stack >> 1;
          out.push(b);
          stack = 0;
          lastNum = -1;
          break;
        case 19: // hintmask
        case 20: {
          // cntrmask; operands before it are an implicit vstem
          stems += stack >> 1;
          out.push(b);
          const n = (stems + 7) >> 3;
          for (let k = 0; k < n; k++) out.push(data[p + k]);
          p += n;
          stack = 0;
          lastNum = -1;
          break;
        }
        case 12: {
          const b1 = data[p++];
          if (!CLEARING_ESCAPES.has(b1)) throw new Unsupported(`escape operator ${b1}`);
          out.push(12, b1);
          stack = 0;
          lastNum = -1;
          break;
        }
        default:
          if (b === 0 || b === 2 || b === 9 || b === 13 || b === 15 || b === 16 || b === 17)
            throw new Unsupported(`reserved operator ${b}`);
          out.push(b);
          stack = 0;
          lastNum = -1;
      }
    }
    depth--;
  };
  run(cff.charStrings.starts[gid], cff.charStrings.starts[gid + 1]);
  if (!ended) out.push(14);
  return Uint8Array.from(out);
}

/** The byte length of the number token that starts at `at` in `out`. */
function numLen(out: number[], at: number): number {
  const b = out[at];
  return b === 28 ? 3 : b === 255 ? 5 : b >= 247 ? 2 : 1;
}

// ---- writing ----

class Bytes {
  buf: Uint8Array;
  length = 0;
  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(size);
  }
  private room(n: number) {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number) {
    this.room(1);
    this.buf[this.length++] = v;
  }
  u16(v: number) {
    this.room(2);
    this.buf[this.length++] = v >> 8;
    this.buf[this.length++] = v & 0xff;
  }
  bytes(b: Uint8Array) {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** An integer DICT operand in its fixed five-byte form, so offsets can be laid out first. */
  int32(v: number) {
    this.u8(29);
    this.room(4);
    this.buf[this.length++] = (v >>> 24) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
  }
  op(op: number) {
    if (op >= 1200) {
      this.u8(12);
      this.u8(op - 1200);
    } else this.u8(op);
  }
  result() {
    return this.buf.slice(0, this.length);
  }
}

/** Size of an INDEX of items of these lengths, with 4-byte offsets (0 items: 2 bytes). */
const indexSize = (lengths: number[]) =>
  lengths.length === 0 ? 2 : 3 + 4 * (lengths.length + 1) + lengths.reduce((a, b) => a + b, 0);

function writeIndex(w: Bytes, items: Uint8Array[]) {
  w.u16(items.length);
  if (items.length === 0) return;
  w.u8(4);
  let off = 1;
  const put = (v: number) => {
    w.u8((v >>> 24) & 0xff);
    w.u8((v >>> 16) & 0xff);
    w.u8((v >>> 8) & 0xff);
    w.u8(v & 0xff);
  };
  put(off);
  for (const it of items) {
    off += it.length;
    put(off);
  }
  for (const it of items) w.bytes(it);
}

/** Top DICT operators dropped from the subset: offsets (rewritten) and string ids (not kept). */
const TOP_DROP = new Set([
  0, 1, 2, 3, 4, 15, 16, 17, 18, 1200, 1221, 1222, 1230, 1234, 1236, 1237, 1238, 13, 14,
]);

function encodeSubset(cff: ParsedCff, charstrings: Uint8Array[], fds: number[]): Uint8Array {
  const n = charstrings.length;
  const usedFds = [...new Set(fds)];
  const fdNew = new Map(usedFds.map((fd, i) => [fd, i]));
  const ascii = new TextEncoder();
  const name = ascii.encode(cff.name);
  const strings = [ascii.encode('Adobe'), ascii.encode('Identity')];
  const STD_STRINGS = 391;

  // The top dict: ROS (which must come first), the kept operators as they were, then CIDCount
  // and the offsets (at fixed width).
  const top = new Bytes(256);
  for (const e of cff.top) if (!TOP_DROP.has(e.op)) top.bytes(e.raw);
  const topTotal =
    /* ROS */ 17 + top.length + /* CIDCount */ 7 + /* charset */ 6 + /* CharStrings */ 6 + 7 + 7;

  const headerSize = 4;
  const nameIndex = indexSize([name.length]);
  const topIndex = indexSize([topTotal]);
  const stringIndex = indexSize(strings.map((s) => s.length));
  const gsubrIndex = 2;
  const charsetAt = headerSize + nameIndex + topIndex + stringIndex + gsubrIndex;
  // charset format 2: glyphs 1..n-1 are CIDs 1..n-1 (one range).
  const charsetSize = n > 1 ? 5 : 1;
  const fdSelectAt = charsetAt + charsetSize;
  const fdSelectSize = 1 + n;
  const charStringsAt = fdSelectAt + fdSelectSize;
  const charStringsSize = indexSize(charstrings.map((c) => c.length));
  const fdArrayAt = charStringsAt + charStringsSize;

  // Font dicts: kept entries, without FontName, then Private (size, offset) at fixed width.
  const fdBodies: Uint8Array[] = [];
  const privBodies: Uint8Array[] = [];
  for (const fd of usedFds) {
    const f = cff.fds[fd];
    const d = new Bytes(128);
    for (const e of f.dict) if (e.op !== 18 && e.op !== 1238) d.bytes(e.raw);
    fdBodies.push(d.result());
    const p = new Bytes(256);
    for (const e of f.priv) if (e.op !== 19) p.bytes(e.raw);
    privBodies.push(p.result());
  }
  // Each font dict ends with Private: two five-byte operands and the operator.
  const fdLengths = fdBodies.map((b) => b.length + 11);
  const fdArraySize = indexSize(fdLengths);
  let privAt = fdArrayAt + fdArraySize;

  const w = new Bytes(charStringsAt + charStringsSize + fdArraySize + 4096);
  w.bytes(Uint8Array.of(1, 0, headerSize, 4));
  writeIndex(w, [name]);
  const t = new Bytes(topTotal);
  t.int32(STD_STRINGS);
  t.int32(STD_STRINGS + 1);
  t.int32(0);
  t.op(1230);
  t.bytes(top.result());
  t.int32(n);
  t.op(1234);
  t.int32(charsetAt);
  t.op(15);
  t.int32(charStringsAt);
  t.op(17);
  t.int32(fdArrayAt);
  t.op(1236);
  t.int32(fdSelectAt);
  t.op(1237);
  if (t.length !== topTotal) throw new Error(`CFF subset: top dict is ${t.length}, planned ${topTotal}`);
  writeIndex(w, [t.result()]);
  writeIndex(w, strings);
  writeIndex(w, []);
  if (w.length !== charsetAt) throw new Error('CFF subset: layout mismatch at charset');
  if (n > 1) {
    w.u8(2);
    w.u16(1);
    w.u16(n - 2);
  } else w.u8(0);
  w.u8(0);
  for (const fd of fds) w.u8(fdNew.get(fd)!);
  writeIndex(w, charstrings);
  if (w.length !== fdArrayAt) throw new Error('CFF subset: layout mismatch at FDArray');
  const dicts: Uint8Array[] = [];
  for (let i = 0; i < fdBodies.length; i++) {
    const d = new Bytes(fdLengths[i]);
    d.bytes(fdBodies[i]);
    d.int32(privBodies[i].length);
    d.int32(privAt);
    d.op(18);
    privAt += privBodies[i].length;
    dicts.push(d.result());
  }
  writeIndex(w, dicts);
  for (const p of privBodies) w.bytes(p);
  return w.result();
}

// ---- the font object pdfkit sees ----

interface Shared {
  font: FontkitFont;
  cff: ParsedCff;
  charstrings: (Uint8Array | undefined)[];
}

class FastCffSubset {
  readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();
  /** pdfkit checks `subset.cff` to embed the program as CIDFontType0C. */
  readonly cff: ParsedCff;

  constructor(private readonly shared: Shared) {
    this.cff = shared.cff;
    this.includeGlyph(0);
  }

  includeGlyph(glyph: number | { id: number }): number {
    const gid = typeof glyph === 'object' ? glyph.id : glyph;
    let i = this.mapping.get(gid);
    if (i === undefined) {
      i = this.glyphs.length;
      this.glyphs.push(gid);
      this.mapping.set(gid, i);
    }
    return i;
  }

  encode(): Uint8Array {
    const { cff, charstrings } = this.shared;
    let list: Uint8Array[];
    try {
      list = this.glyphs.map((gid) => {
        let c = charstrings[gid];
        if (!c) {
          c = desubroutinize(cff, gid);
          charstrings[gid] = c;
        }
        return c;
      });
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
      // A glyph this subsetter cannot inline: fontkit's subset, which numbers glyphs alike.
      const subset = this.shared.font.createSubset() as FastCffSubset;
      for (const gid of this.glyphs) subset.includeGlyph(gid);
      return subset.encode();
    }
    return encodeSubset(
      cff,
      list,
      this.glyphs.map((gid) => cff.fdOf(gid)),
    );
  }
}

/**
 * `font` with a subsetter that inlines subroutines and a shared layout cache (see the top of this
 * file), or `font` itself when its CFF is not one this subsetter reads (then fontkit subsets it as
 * before). A few glyphs are tried here, so a font of another make is left to fontkit from the
 * start; a single glyph that cannot be inlined later makes that document's subset fontkit's.
 */
export function fastCffFont<T extends object>(font: T): T {
  const f = font as unknown as FontkitFont;
  let shared: Shared;
  try {
    const cff = parseCff(f);
    shared = { font: f, cff, charstrings: new Array(countOf(cff.charStrings)) };
    // A quick check on a few glyphs: unsupported fonts show on the first ones.
    for (const gid of [0, 1, Math.floor(countOf(cff.charStrings) / 2), countOf(cff.charStrings) - 1])
      if (gid >= 0 && gid < countOf(cff.charStrings)) shared.charstrings[gid] = desubroutinize(cff, gid);
  } catch (err) {
    if (err instanceof Unsupported) return font;
    throw err;
  }
  const wrapped = Object.create(font) as T & {
    createSubset(): FastCffSubset;
    layout(text: string, ...rest: unknown[]): GlyphRun;
  };
  wrapped.createSubset = () => new FastCffSubset(shared);
  wrapped.layout = sharedLayout(font as unknown as { layout(text: string, ...rest: unknown[]): GlyphRun });
  return wrapped;
}

interface GlyphRun {
  glyphs: unknown[];
  positions: object[];
}

/** Texts whose shaping is kept; past this the cache starts over (a bound on memory, not a tuning). */
const LAYOUT_CACHE_SIZE = 20_000;

/**
 * fontkit's `layout` (shaping: cmap, GSUB, GPOS) remembered across documents. pdfkit caches it per
 * document only, while rulings repeat most of their text (labels, check names, legal bases). The
 * result depends on the text alone, so sharing it changes no byte; each caller gets its own copy
 * of the positions, which pdfkit scales in place.
 */
function sharedLayout(font: { layout(text: string, ...rest: unknown[]): GlyphRun }) {
  const runs = new Map<string, GlyphRun>();
  return (text: string, ...rest: unknown[]): GlyphRun => {
    if (rest.some((r) => r !== undefined)) return font.layout(text, ...rest);
    let run = runs.get(text);
    if (!run) {
      run = font.layout(text);
      if (runs.size >= LAYOUT_CACHE_SIZE) runs.clear();
      runs.set(text, run);
    }
    const copy = Object.assign(Object.create(Object.getPrototypeOf(run)), run) as GlyphRun;
    copy.glyphs = run.glyphs.slice();
    copy.positions = run.positions.map((p) => Object.assign(Object.create(Object.getPrototypeOf(p)), p));
    return copy;
  };
}

/** For tests: the desubroutinized charstring of a glyph (throws on an unsupported font). */
export function inlinedCharstring(font: object, gid: number): Uint8Array {
  return desubroutinize(parseCff(font as unknown as FontkitFont), gid);
}
