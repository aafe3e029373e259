/**
 * What changed between two versions of a report: every figure (a leaf of the numbers, by its
 * dotted path) whose value differs, was added or went away. Object keys are compared whatever
 * their order (jsonb does not keep it); lists are compared position by position.
 *
 * @example
 * diffNumbers({ flow: { received: 3 } }, { flow: { received: 4 } })
 * // [{ path: 'flow.received', before: 3, after: 4 }]
 */
import type { StoredChange } from './schema.ts';

type Leaves = Map<string, unknown>;

function flatten(value: unknown, path: string, out: Leaves): Leaves {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, []);
    for (const [i, v] of value.entries()) flatten(v, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) out.set(path, {});
    for (const k of keys.sort())
      flatten((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/** The changed leaves, in path order; `before`/`after` are null where the figure did not exist. */
export function diffNumbers(before: unknown, after: unknown): StoredChange[] {
  const a = flatten(before, '', new Map());
  const b = flatten(after, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: StoredChange[] = [];
  for (const path of paths) {
    const x = a.has(path) ? a.get(path) : null;
    const y = b.has(path) ? b.get(path) : null;
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path, before: x, after: y });
  }
  return changes;
}
