/**
 * Loads a YAML policy file and validates it with zod; an error names the file, the line and the
 * path of every problem, so a bureau editing its rules sees exactly what to fix.
 *
 * @example
 * loadYamlFile('policies/roles.yaml', text, schema)
 * // PolicyError: policies/roles.yaml:12 roles.clerk[0].action: Invalid option ...
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line?: number; path: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}${p.line ? `:${p.line}` : ''} ${p.path}: ${p.message}`).join('\n'));
  }
}

export function loadYamlFile<T extends z.ZodType>(file: string, text: string, schema: T): z.output<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    throw new PolicyError(
      file,
      doc.errors.map((e) => ({
        line: lineCounter.linePos(e.pos[0]).line,
        path: '(yaml)',
        message: e.message,
      })),
    );
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  throw new PolicyError(
    file,
    parsed.error.issues.map((issue) => {
      const path = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      return { line: lineOf(doc, issue.path, lineCounter), path: path || '(root)', message: issue.message };
    }),
  );
}

/** The line of the deepest node along `path` that exists in the document. */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  path: readonly PropertyKey[],
  lc: LineCounter,
): number | undefined {
  let node: any = doc.contents;
  let line: number | undefined = node?.range ? lc.linePos(node.range[0]).line : undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair: any = node.items.find((p: any) => p.key?.value === key);
      if (!pair) break;
      node = pair.value ?? pair.key;
      const at = (pair.value?.range ?? pair.key?.range)?.[0];
      if (at !== undefined) line = lc.linePos(at).line;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (!node) break;
      if (node.range) line = lc.linePos(node.range[0]).line;
    } else break;
  }
  return line;
}
