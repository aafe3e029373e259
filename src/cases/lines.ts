/**
 * Input splitting for ingestion, streaming and in constant memory: an NDJSON stream into its
 * lines, a JSON array into its elements (each numbered from 1, as lines are), either one chosen
 * by the first character. The raw bytes are hashed on the way, for the audit entry and the
 * Idempotency-Key check.
 *
 * @example
 * const input = splitInput(fs.createReadStream('events.ndjson'));
 * for await (const { no, text } of input.lines) ...; input.sha256() // after the loop
 */
import { createHash } from 'node:crypto';

export interface InputLine {
  /** 1-based line (NDJSON) or element (JSON array) number. */
  no: number;
  /** The line's JSON text; absent when `value` is given. */
  text?: string;
  /** An already parsed record (from a generator in-process). */
  value?: unknown;
  /** Set when the input itself is broken at this point (e.g. an unclosed array). */
  error?: string;
}

export type ChunkSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
/** Records given in-process: JSON text lines or objects. */
export type RecordSource = AsyncIterable<string | object> | Iterable<string | object>;

export interface SplitInput {
  lines: AsyncIterable<InputLine>;
  /** SHA-256 of every byte read; complete once `lines` has been consumed. */
  sha256(): string;
}

/** Splits a byte stream: a JSON array when its first non-blank character is `[`, else NDJSON. */
export function splitInput(source: ChunkSource): SplitInput {
  const hash = createHash('sha256');
  let digest: string | undefined;
  async function* chunks(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: false });
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      hash.update(chunk);
      const s = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (s) yield s;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  }
  async function* lines(): AsyncGenerator<InputLine> {
    const it = chunks()[Symbol.asyncIterator]();
    let first = await it.next();
    let head = '';
    while (!first.done) {
      head += first.value;
      if (head.trim() !== '') break;
      first = await it.next();
    }
    async function* rest(): AsyncGenerator<string> {
      if (head) yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    }
    if (head.trimStart().startsWith('[')) yield* arrayElements(rest());
    else yield* ndjsonLines(rest());
    digest = hash.digest('hex');
  }
  return {
    lines: lines(),
    sha256: () => {
      if (!digest) throw new Error('the input has not been read to its end');
      return digest;
    },
  };
}

/** Numbers in-process records like lines; objects are taken as parsed. */
export function recordInput(records: RecordSource): SplitInput {
  const hash = createHash('sha256');
  let digest: string | undefined;
  async function* lines(): AsyncGenerator<InputLine> {
    let no = 0;
    for await (const r of records as AsyncIterable<string | object>) {
      no++;
      const text = typeof r === 'string' ? r : JSON.stringify(r);
      hash.update(text);
      hash.update('\n');
      yield typeof r === 'string' ? { no, text: r } : { no, value: r };
    }
    digest = hash.digest('hex');
  }
  return {
    lines: lines(),
    sha256: () => {
      if (!digest) throw new Error('the input has not been read to its end');
      return digest;
    },
  };
}

/** NDJSON: every physical line is numbered; blank ones are skipped. */
export async function* ndjsonLines(chunks: AsyncIterable<string>): AsyncGenerator<InputLine> {
  let carry = '';
  let no = 0;
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      no++;
      const line = text.slice(start, text.charCodeAt(nl - 1) === 13 && nl > start ? nl - 1 : nl);
      if (line.trim() !== '') yield { no, text: line };
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry.trim() !== '') yield { no: no + 1, text: carry.replace(/\r$/, '') };
}

/**
 * The elements of one top-level JSON array, as text, without parsing the whole: a small state
 * machine tracks strings, escapes and nesting depth.
 */
export async function* arrayElements(chunks: AsyncIterable<string>): AsyncGenerator<InputLine> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let closed = false;
  let element = '';
  let no = 0;
  let trailing = false;
  for await (const chunk of chunks) {
    // Mid-element at a chunk boundary (even inside a string): the new chunk continues it.
    let segStart = element !== '' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (closed) {
        if (!isSpace(ch)) trailing = true;
        continue;
      }
      if (!started) {
        if (ch === 91 /* [ */) {
          started = true;
          depth = 1;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === 92 /* \ */) escaped = true;
        else if (ch === 34 /* " */) inString = false;
        continue;
      }
      if (ch === 34) {
        inString = true;
        if (segStart < 0) segStart = i;
      } else if (ch === 91 || ch === 123 /* [ { */) {
        depth++;
        if (segStart < 0) segStart = i;
      } else if (ch === 93 || ch === 125 /* ] } */) {
        depth--;
        if (depth === 0) {
          if (segStart >= 0) element += chunk.slice(segStart, i);
          segStart = -1;
          if (element.trim() !== '') yield { no: ++no, text: element };
          element = '';
          closed = true;
        }
      } else if (ch === 44 /* , */ && depth === 1) {
        if (segStart >= 0) element += chunk.slice(segStart, i);
        segStart = -1;
        yield element.trim() === ''
          ? { no: ++no, error: 'empty array element' }
          : { no: ++no, text: element };
        element = '';
      } else if (segStart < 0 && !isSpace(ch)) {
        segStart = i;
      }
    }
    if (segStart >= 0) element += chunk.slice(segStart);
  }
  if (!closed) yield { no: no + 1, error: 'the JSON array is not closed (missing "]")' };
  else if (trailing) yield { no: no + 1, error: 'text after the end of the JSON array' };
}

function isSpace(ch: number) {
  return ch === 32 || ch === 10 || ch === 13 || ch === 9;
}
