/**
 * Bad policy files: each mistake a bureau may make gets a message naming the file, the line, the
 * path and what is wrong. Also: the shipped policies load, and every one of their grants can apply
 * in the demo bureau.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthorityEngine } from '../../src/authority/engine.ts';
import { parsePolicySet, policyHash, readPolicyDir } from '../../src/authority/policy.ts';
import { authorityPolicyDir } from '../../src/authority/service.ts';
import { snapshotFromOrgDocument } from '../../src/authority/snapshot.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { PolicyError } from '../../src/platform/policy-file.ts';
import { smallOrg, smallPolicies } from './fixtures.ts';

const errorOf = (files: Record<string, string>) => {
  try {
    parsePolicySet(files);
  } catch (e) {
    if (e instanceof PolicyError) return e.message;
    throw e;
  }
  return 'no error';
};
const one = (grant: string) => errorOf({ 'bad.yaml': `version: 1\ngrants:\n  - ${grant}\n` });

describe('bad policy files', () => {
  it('YAML that does not parse', () => {
    expect(errorOf({ 'bad.yaml': 'version: 1\ngrants:\n  - id: x\n   post: [' })).toMatch(
      /^bad\.yaml:4 \(yaml\): /,
    );
  });

  it('the format version', () => {
    expect(errorOf({ 'v.yaml': 'grants:\n  - { id: a, post: P, actions: [accept], items: all }\n' })).toBe(
      'v.yaml:1 version: only version 1 of the authority policy format is known',
    );
  });

  it('an unknown action, named at its place in the list', () => {
    expect(one('{ id: a, post: P, actions: [accept, stamp], items: all }')).toMatch(
      /^bad\.yaml:3 grants\[0\]\.actions\[1\]: Invalid option: expected one of "receipt"\|/,
    );
  });

  it('a misspelt key', () => {
    expect(one('{ id: a, post: P, actoins: [accept], items: all }')).toBe(
      'bad.yaml:3 grants[0].actions: Invalid input: expected array, received undefined\n' +
        'bad.yaml:3 grants[0]: Unrecognized key: "actoins"',
    );
  });

  it('post and head, both or neither', () => {
    const msg = 'bad.yaml:3 grants[0].post: give exactly one of post (a post, family or list) or head: true';
    expect(one('{ id: a, post: P, head: true, actions: [accept], items: all }')).toBe(msg);
    expect(one('{ id: a, actions: [accept], items: all }')).toBe(msg);
    expect(one('{ id: a, post: "P ACC", actions: [accept], items: all }')).toBe(
      'bad.yaml:3 grants[0].post[0]: a post code, or a family with * (e.g. P-REVIEW-*)',
    );
  });

  it('grant ids: a slug, unique in the file (the line of the second one)', () => {
    expect(one('{ id: A_1, post: P, actions: [accept], items: all }')).toBe(
      'bad.yaml:3 grants[0].id: must be lower-case letters, digits and dashes, e.g. intake-refusal',
    );
    expect(
      errorOf({
        'd.yaml':
          'version: 1\ngrants:\n  - id: a\n    post: P\n    actions: [accept]\n    items: all\n  - id: a\n    post: Q\n    actions: [accept]\n    items: all\n',
      }),
    ).toBe('d.yaml:7 grants[1].id: duplicate grant id a (also grants[0])');
  });

  it('item selectors', () => {
    expect(one('{ id: a, post: P, actions: [accept], items: {} }')).toBe(
      'bad.yaml:3 grants[0].items: name the items: all, codes, businesses, kinds, specialSeal, atWindow or online',
    );
    expect(one('{ id: a, post: P, actions: [accept], items: { all: true, codes: [X] } }')).toBe(
      'bad.yaml:3 grants[0].items.all: all: true cannot be combined with other selectors',
    );
    expect(one('{ id: a, head: true, actions: [accept], items: { businesses: $post } }')).toBe(
      'bad.yaml:3 grants[0].items.businesses: $post needs a post; the head holds none',
    );
    expect(one('{ id: a, post: P, actions: [accept], items: { kinds: [urgent] } }')).toBe(
      'bad.yaml:3 grants[0].items.kinds[0]: Invalid option: expected one of "instant"|"committed"|"joint"',
    );
  });

  it('case conditions', () => {
    expect(one('{ id: a, post: P, actions: [accept], items: all, when: { route: express } }')).toMatch(
      /^bad\.yaml:3 grants\[0\]\.when\.route\[0\]: Invalid option: expected one of "normal"\|"fast_track"/,
    );
    expect(one('{ id: a, post: P, actions: [accept], items: all, when: { seal: special } }')).toBe(
      'bad.yaml:3 grants[0].when.seal: a seal condition applies only to the seal action',
    );
  });

  it('separation rules: a message is required, and ids are unique across files', () => {
    expect(
      errorOf({
        's.yaml': 'version: 1\nseparation:\n  - { id: a, action: approve, conflictsWith: accept }\n',
      }),
    ).toBe('s.yaml:3 separation[0].message: Invalid input: expected string, received undefined');
    const rule =
      'version: 1\nseparation:\n  - { id: s, action: approve, conflictsWith: accept, message: m }\n';
    expect(errorOf({ 'a.yaml': rule, 'b.yaml': rule })).toBe(
      'b.yaml separation[0].id: rule id s is also defined in a.yaml',
    );
  });

  it('an empty file, a file with nothing in it, an empty folder', () => {
    expect(errorOf({ 'e.yaml': '' })).toBe('e.yaml (root): Invalid input: expected object, received null');
    expect(errorOf({ 'n.yaml': 'version: 1\n' })).toBe(
      'n.yaml:1 (root): a policy file needs grants or separation rules',
    );
    const dir = mkdtempSync(join(tmpdir(), 'nk-policy-'));
    expect(() => readPolicyDir(dir)).toThrow(`${dir} (folder): no policy files (*.yaml) in the folder`);
  });
});

describe('good policy files', () => {
  it('the version is the hash of the files, and changes with any byte of them', () => {
    const files = smallPolicies();
    expect(parsePolicySet(files).hash).toBe(policyHash(files));
    expect(policyHash({ ...files, 'grants.yaml': `${files['grants.yaml']}# a comment\n` })).not.toBe(
      policyHash(files),
    );
  });

  it('a policy typo that matches nothing is reported as a warning', () => {
    const files = {
      ...smallPolicies(),
      'extra.yaml':
        'version: 1\ngrants:\n  - { id: t, post: P-APROVE-9, actions: [approve], items: { codes: [ZZ] } }\n',
    };
    const e = new AuthorityEngine(snapshotFromOrgDocument(smallOrg(), { policies: [files] }));
    expect(e.policyWarnings()).toEqual([
      'extra.yaml grant t: no post matches P-APROVE-9',
      'extra.yaml grant t: no item ZZ',
    ]);
  });

  it('the shipped policies load, and every grant can apply in the demo bureau', () => {
    const files = readPolicyDir(authorityPolicyDir);
    const set = parsePolicySet(files);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'acceptance.yaml',
        'review.yaml',
        'approval.yaml',
        'announce.yaml',
        'chief.yaml',
        'head.yaml',
        'separation.yaml',
      ]),
    );
    expect(set.separation.map((s) => s.id)).toEqual([
      'accept-not-approve',
      'no-self-review',
      'review-not-approve',
      'extension-not-self',
    ]);
    const e = new AuthorityEngine(snapshotFromOrgDocument(demoOrg(1), { policies: [files] }));
    expect(e.policyWarnings()).toEqual([]);
  });

  it('a file written to disk is read back by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk-policy-'));
    writeFileSync(join(dir, 'g.yaml'), smallPolicies()['grants.yaml']);
    writeFileSync(join(dir, 'notes.txt'), 'not a policy');
    expect(Object.keys(readPolicyDir(dir))).toEqual(['g.yaml']);
  });
});
