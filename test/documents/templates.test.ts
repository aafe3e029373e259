import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkTemplate,
  loadTemplate,
  paragraphs,
  placeholdersOf,
  renderText,
  TemplateError,
} from '../../src/documents/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'neikong-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, yaml: string) {
  writeFileSync(join(dir, `${name}.yaml`), yaml);
}

/** The error thrown by `fn`, which must be a TemplateError. */
function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('loadTemplate / renderText', () => {
  it('renders the sample template in both locales, nested keys by dots', () => {
    const zh = loadTemplate('sample', 'zh-CN');
    expect(zh.file).toBe(join('templates', 'documents', 'sample.yaml'));
    expect(zh.render('title', { caseNo: 'QZ-1' })).toBe('关于QZ-1号案件办理情况的核查意见书');
    expect(zh.render('body.remedy', { days: 5 })).toBe('请于收到本意见书之日起5个工作日内提交书面说明。');
    const en = loadTemplate('sample', 'en');
    expect(en.render('title', { caseNo: 'QZ-1' })).toBe('Verification ruling on the handling of case QZ-1');
    expect(renderText(en.get('headings.facts'), {})).toBe('Findings');
    expect(zh.keys()).toContain('body.findings');
    expect(zh.has('body.intro')).toBe(true);
    expect(zh.has('body')).toBe(false);
  });

  it('the sample template has every text in both locales with the same placeholders', () => {
    expect(checkTemplate('sample')).toEqual([]);
  });

  it('names the file and the key when a key is missing', () => {
    const err = templateError(() => loadTemplate('sample', 'zh-CN').get('body.nothing'));
    expect(err.file).toBe(join('templates', 'documents', 'sample.yaml'));
    expect(err.key).toBe('body.nothing');
    expect(err.message).toBe('templates/documents/sample.yaml [body.nothing]: no such key in the template');
    expect(templateError(() => loadTemplate('sample', 'zh-CN').get('body')).message).toMatch(
      /\[body\]: is a group, not a text \(it holds body\.intro, body\.findings, body\.remedy\)/,
    );
  });

  it('names the file, the key and the placeholder when a value is missing', () => {
    const t = loadTemplate('sample', 'zh-CN');
    const err = templateError(() => t.render('title', {}));
    expect(err.message).toBe('templates/documents/sample.yaml [title]: no value for placeholder {caseNo}');
    // null and undefined count as missing; 0 and '' are values.
    expect(() => t.render('title', { caseNo: null })).toThrow(/\{caseNo\}/);
    expect(t.render('title', { caseNo: 0 })).toBe('关于0号案件办理情况的核查意见书');
  });

  it('reports a text missing in one locale, a missing file and a bad name', () => {
    write('partial', 'title:\n  zh-CN: 只有中文\n');
    expect(loadTemplate('partial', 'zh-CN', { dir }).render('title')).toBe('只有中文');
    expect(templateError(() => loadTemplate('partial', 'en', { dir }).get('title')).message).toMatch(
      /partial\.yaml \[title\]: has no en text$/,
    );
    expect(templateError(() => loadTemplate('nope', 'zh-CN', { dir })).message).toMatch(
      /nope\.yaml: no such template file/,
    );
    expect(() => loadTemplate('../sample', 'zh-CN')).toThrow(/bad template name/);
  });

  it('reports malformed files with the key at fault', () => {
    write('list', 'title:\n  - a\n');
    expect(templateError(() => loadTemplate('list', 'zh-CN', { dir })).message).toMatch(
      /\[title\]: must map each locale/,
    );
    write('mixed', 'title:\n  zh-CN: 标题\n  note: x\n');
    expect(templateError(() => loadTemplate('mixed', 'zh-CN', { dir })).message).toMatch(
      /\[title\]: mixes locales with other keys \(note\)/,
    );
    write('broken', 'title: [unclosed\n');
    expect(templateError(() => loadTemplate('broken', 'zh-CN', { dir })).message).toMatch(
      /broken\.yaml: not valid YAML/,
    );
  });

  it('supports literal braces and rejects unmatched ones', () => {
    expect(renderText('{{x}} = {x}', { x: 1 })).toBe('{x} = 1');
    expect(templateError(() => renderText('a { b', {})).message).toMatch(/\(inline\): unmatched "\{"/);
    expect(templateError(() => renderText('{a b}', { 'a b': 1 })).message).toMatch(/bad placeholder \{a b\}/);
    expect(placeholdersOf('{a}{b.c}{a}{{d}}')).toEqual(['a', 'b.c']);
  });

  it('checkTemplate finds texts missing a locale and placeholders that differ', () => {
    write('drift', 'a:\n  zh-CN: "{x}号"\n  en: "No. {y}"\nb:\n  zh-CN: 只有中文\n');
    const problems = checkTemplate('drift', { dir });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /drift\.yaml \[a\]: placeholders differ between locales \(zh-CN: \{x\}; en: \{y\}\)/,
    );
    expect(problems[1]).toMatch(/drift\.yaml \[b\]: has no en text/);
  });

  it('picks up an edited file without a restart', () => {
    write('live', 'title:\n  zh-CN: 旧\n');
    expect(loadTemplate('live', 'zh-CN', { dir }).render('title')).toBe('旧');
    write('live', 'title:\n  zh-CN: 新\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'live.yaml'), later, later);
    expect(loadTemplate('live', 'zh-CN', { dir }).render('title')).toBe('新');
  });

  it('splits multi-paragraph texts into paragraph blocks', () => {
    const text = loadTemplate('sample', 'zh-CN').render('body.findings', { limit: 5, used: 8, over: 3 });
    const blocks = paragraphs(text);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toEqual({ kind: 'paragraph', text: '上述情形违反了限时办结制的规定。' });
    expect(paragraphs('one\ntwo\n\n三\n四')).toEqual([
      { kind: 'paragraph', text: 'one two' },
      { kind: 'paragraph', text: '三四' },
    ]);
  });
});
