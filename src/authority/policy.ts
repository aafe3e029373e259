/**
 * Authority policies as data: `policies/authority/*.yaml`, validated with zod when loaded. A file
 * holds `grants` (a post or post family may do these actions on these items, under these
 * conditions of the case) and `separation` rules (an action is refused to whoever did a
 * conflicting earlier action in the same case). The set of files is one policy version, named by
 * the SHA-256 of their text.
 *
 * @example
 * const set = parsePolicySet(readPolicyDir('policies/authority'));
 * set.hash; // 'e3b0c442…'
 * set.grants.find((g) => g.id === 'intake')?.actions; // ['receipt', 'notify_supplement', …]
 * // a bad file throws PolicyError: "approval.yaml:14 grants[2].actions[0]: Invalid option: …"
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { contentHash } from '../platform/hash.ts';
import { loadYamlFile, PolicyError } from '../platform/policy-file.ts';
import { authorityActions, channels, itemKinds, routes, seals, stages } from './actions.ts';

/** One value or a list of them; always a list after parsing. Errors point at the entry at fault. */
const oneOrMany = <T extends z.ZodType>(t: T) =>
  z.preprocess(
    (v) => (v === undefined || Array.isArray(v) ? v : [v]),
    z.array(t).min(1, 'must list at least one'),
  );

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. intake-refusal');
const code = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');
const postPattern = z
  .string()
  .regex(/^[A-Za-z0-9._*-]+$/, 'a post code, or a family with * (e.g. P-REVIEW-*)');

export const itemSelectorSchema = z
  .strictObject({
    all: z.literal(true).optional(),
    codes: z.array(code).min(1, 'must list at least one item code').optional(),
    /** `$post`: the businesses of the post the grant is held through. */
    businesses: z
      .union([z.literal('$post'), z.array(code).min(1, 'must list at least one business')])
      .optional(),
    kinds: z.array(z.enum(itemKinds)).min(1).optional(),
    specialSeal: z.boolean().optional(),
    atWindow: z.boolean().optional(),
    online: z.boolean().optional(),
  })
  .superRefine((s, ctx) => {
    const keys = Object.keys(s);
    if (keys.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: 'name the items: all, codes, businesses, kinds, specialSeal, atWindow or online',
      });
    if (s.all && keys.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['all'],
        message: 'all: true cannot be combined with other selectors',
      });
  });
export type ItemSelector = z.output<typeof itemSelectorSchema>;

/** `items: all` is short for `items: { all: true }`. */
export const itemsSchema = z.preprocess((v) => (v === 'all' ? { all: true } : v), itemSelectorSchema);

export const whenSchema = z.strictObject({
  route: oneOrMany(z.enum(routes)).optional(),
  channel: oneOrMany(z.enum(channels)).optional(),
  /** true: only for a key project (重点项目); false: only when the project is not key. */
  projectKey: z.boolean().optional(),
  stage: oneOrMany(z.enum(stages)).optional(),
  seal: oneOrMany(z.enum(seals)).optional(),
});
export type When = z.output<typeof whenSchema>;

const grantSchema = z
  .strictObject({
    id: slug,
    /** A post code, a family (`P-REVIEW-*`) or a list of them. */
    post: oneOrMany(postPattern).optional(),
    /** The organ's head (`bureau.head` of the org document) instead of a post. */
    head: z.literal(true).optional(),
    actions: oneOrMany(z.enum(authorityActions)),
    items: itemsSchema,
    when: whenSchema.optional(),
    basis: z.string().optional(),
    note: z.string().optional(),
  })
  .superRefine((g, ctx) => {
    if (!g.post === !g.head)
      ctx.addIssue({
        code: 'custom',
        path: ['post'],
        message: 'give exactly one of post (a post, family or list) or head: true',
      });
    if (g.head && g.items && 'businesses' in g.items && g.items.businesses === '$post')
      ctx.addIssue({
        code: 'custom',
        path: ['items', 'businesses'],
        message: '$post needs a post; the head holds none',
      });
    if (g.when?.seal && !g.actions.includes('seal'))
      ctx.addIssue({
        code: 'custom',
        path: ['when', 'seal'],
        message: 'a seal condition applies only to the seal action',
      });
  });

const separationSchema = z.strictObject({
  id: slug,
  /** The action refused. */
  action: oneOrMany(z.enum(authorityActions)),
  /** Only on these items (default: all). */
  items: itemsSchema.optional(),
  /** Earlier actions in the same case that, done by the same person, forbid `action`. */
  conflictsWith: oneOrMany(z.enum(authorityActions)),
  message: z.string().min(1),
  basis: z.string().optional(),
});

export const policyFileSchema = z
  .strictObject({
    version: z.literal(1, 'only version 1 of the authority policy format is known'),
    description: z.string().optional(),
    grants: z.array(grantSchema).optional(),
    separation: z.array(separationSchema).optional(),
  })
  .superRefine((f, ctx) => {
    if (!f.grants?.length && !f.separation?.length)
      ctx.addIssue({ code: 'custom', message: 'a policy file needs grants or separation rules' });
    const seen = new Map<string, number>();
    (f.grants ?? []).forEach((g, i) => {
      if (seen.has(g.id))
        ctx.addIssue({
          code: 'custom',
          path: ['grants', i, 'id'],
          message: `duplicate grant id ${g.id} (also grants[${seen.get(g.id)}])`,
        });
      else seen.set(g.id, i);
    });
  });
export type PolicyFile = z.output<typeof policyFileSchema>;

export interface CompiledGrant {
  file: string;
  id: string;
  /** Patterns as written; empty for the head's grants. */
  posts: string[];
  head: boolean;
  actions: string[];
  items: ItemSelector;
  when: When;
  basis?: string;
  note?: string;
}

export interface CompiledSeparation {
  file: string;
  id: string;
  actions: ReadonlySet<string>;
  items?: ItemSelector;
  conflictsWith: ReadonlySet<string>;
  message: string;
  basis?: string;
}

/** One policy version: the files, their hash, and what they say. */
export interface PolicySet {
  hash: string;
  files: Record<string, string>;
  grants: CompiledGrant[];
  separation: CompiledSeparation[];
}

/** The text of every `*.yaml` in `dir`, by file name (sorted). */
export function readPolicyDir(dir: string): Record<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  } catch (e) {
    throw new PolicyError(dir, [
      { path: '(folder)', message: `cannot read the policy folder: ${(e as Error).message}` },
    ]);
  }
  if (names.length === 0)
    throw new PolicyError(dir, [{ path: '(folder)', message: 'no policy files (*.yaml) in the folder' }]);
  return Object.fromEntries(names.sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

/** The version name of a set of files: SHA-256 over their names and text. */
export const policyHash = (files: Record<string, string>) => contentHash(files);

/**
 * Validates every file and compiles the set. Throws PolicyError naming the file, line, path and
 * problem (for the first file at fault, or the rule that clashes across files).
 */
export function parsePolicySet(files: Record<string, string>): PolicySet {
  const grants: CompiledGrant[] = [];
  const separation: CompiledSeparation[] = [];
  const sodIds = new Map<string, string>();
  for (const [file, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const doc = loadYamlFile(file, text, policyFileSchema);
    for (const g of doc.grants ?? []) {
      grants.push({
        file,
        id: g.id,
        posts: g.post ?? [],
        head: g.head === true,
        actions: g.actions,
        items: g.items,
        when: g.when ?? {},
        basis: g.basis,
        note: g.note,
      });
    }
    (doc.separation ?? []).forEach((s, i) => {
      const other = sodIds.get(s.id);
      if (other)
        throw new PolicyError(file, [
          { path: `separation[${i}].id`, message: `rule id ${s.id} is also defined in ${other}` },
        ]);
      sodIds.set(s.id, file);
      separation.push({
        file,
        id: s.id,
        actions: new Set(s.action),
        items: s.items,
        conflictsWith: new Set(s.conflictsWith),
        message: s.message,
        basis: s.basis,
      });
    });
  }
  return { hash: policyHash(files), files, grants, separation };
}

const patternCache = new Map<string, RegExp>();
/** Whether a post code matches a pattern (`*` matches any run of characters). */
export function postMatches(pattern: string, post: string): boolean {
  if (!pattern.includes('*')) return pattern === post;
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replaceAll('*', '.*')}$`);
    patternCache.set(pattern, re);
  }
  return re.test(post);
}

/** The pattern of `grant` that `post` matches, or undefined. */
export const matchingPattern = (grant: CompiledGrant, post: string) =>
  grant.posts.find((p) => postMatches(p, post));
