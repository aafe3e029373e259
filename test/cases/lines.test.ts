/**
 * Input splitting: NDJSON lines and JSON array elements, across chunk boundaries (even inside a
 * string), numbered from 1, with broken input reported at the right number.
 */
import { describe, expect, it } from 'vitest';
import { splitInput } from '../../src/cases/lines.ts';

async function collect(chunks: string[]) {
  const input = splitInput(chunks.map((c) => new TextEncoder().encode(c)));
  const out = [];
  for await (const l of input.lines) out.push(l);
  return { lines: out, sha: input.sha256() };
}

/** Every way of cutting `text` into two chunks. */
function cuts(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('splitting input', () => {
  it('numbers NDJSON lines, skipping blank ones and carriage returns', async () => {
    const { lines } = await collect(['{"a":1}\r\n\n  \n{"b":', '2}\n{"c":3}']);
    expect(lines).toEqual([
      { no: 1, text: '{"a":1}' },
      { no: 4, text: '{"b":2}' },
      { no: 5, text: '{"c":3}' },
    ]);
  });

  it('splits a JSON array into its elements wherever the chunks are cut', async () => {
    const text = ' [ {"s":"a,]}[\\"x"}, {"n":[1,2,{"k":"}"}]} ,{"中":"文"} ] \n';
    const expected = ['{"s":"a,]}[\\"x"}', '{"n":[1,2,{"k":"}"}]}', '{"中":"文"}'];
    for (const chunks of cuts(text)) {
      const { lines } = await collect(chunks);
      expect(lines.map((l) => l.text?.trim())).toEqual(expected);
      expect(lines.map((l) => l.no)).toEqual([1, 2, 3]);
      for (const l of lines) expect(() => JSON.parse(l.text!)).not.toThrow();
    }
  });

  it('reports an unclosed array and text after its end', async () => {
    // The unfinished second element is where the input breaks.
    expect((await collect(['[{"a":1},{"b":2}'])).lines.at(-1)).toEqual({
      no: 2,
      error: 'the JSON array is not closed (missing "]")',
    });
    expect((await collect(['[{"a":1}] x'])).lines.at(-1)).toEqual({
      no: 2,
      error: 'text after the end of the JSON array',
    });
    expect((await collect(['[{"a":1},,{"b":2}]'])).lines[1]).toEqual({ no: 2, error: 'empty array element' });
  });

  it('hashes the bytes read, the same however they are cut', async () => {
    const a = await collect(['{"a":1}\n{"b":2}\n']);
    const b = await collect(['{"a":1', '}\n{"b":2}\n']);
    expect(a.sha).toBe(b.sha);
    expect(a.sha).toMatch(/^[0-9a-f]{64}$/);
  });
});
