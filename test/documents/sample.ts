/** Sample documents for the tests of src/documents (and the benchmark), built from sample.yaml. */
import {
  type Block,
  type DocLocale,
  formatDocNumber,
  loadTemplate,
  type OfficialDocument,
  paragraphs,
} from '../../src/documents/index.ts';

export const SAMPLE_NUMBER = formatDocNumber('泉建核', 2026, 12);
export const SAMPLE_URL = `https://neikong.example.gov.cn/verify/${encodeURIComponent(SAMPLE_NUMBER)}`;

const DATA = {
  caseNo: 'QZ-2026-000123',
  clerk: '张明华',
  item: '建筑工程施工许可证核发',
  received: '2026年2月9日',
  limit: 5,
  used: 8,
  over: 3,
  days: 5,
};

/** A one-page ruling: heading levels, paragraphs, a key/value form, signature, QR, 版记. */
export function sampleRuling(locale: DocLocale = 'zh-CN', extra: Block[] = []): OfficialDocument {
  const t = loadTemplate('sample', locale);
  const organ = t.render('organ');
  return {
    organ,
    number: SAMPLE_NUMBER,
    title: t.render('title', DATA),
    date: '2026-03-02',
    locale,
    addressee: t.render('addressee', DATA),
    blocks: [
      { kind: 'paragraph', text: t.render('body.intro', DATA) },
      { kind: 'heading', level: 1, text: t.render('headings.facts') },
      {
        kind: 'keyValue',
        rows: [
          [locale === 'zh-CN' ? '案件编号' : 'Case', DATA.caseNo],
          [locale === 'zh-CN' ? '办理事项' : 'Item', DATA.item],
          [locale === 'zh-CN' ? '承办人' : 'Clerk', DATA.clerk],
        ],
      },
      { kind: 'heading', level: 2, text: locale === 'zh-CN' ? '时限情况' : 'Time limit' },
      ...paragraphs(t.render('body.findings', DATA)),
      { kind: 'heading', level: 1, text: t.render('headings.opinion') },
      { kind: 'heading', level: 3, text: locale === 'zh-CN' ? '整改要求' : 'Remedy' },
      { kind: 'paragraph', text: t.render('body.remedy', DATA) },
      ...extra,
    ],
    signature: { organ, date: '2026-03-02' },
    verifyUrl: SAMPLE_URL,
    verifyCaption: t.render('verifyCaption'),
    footer: [
      locale === 'zh-CN' ? '抄送：市纪委监委驻市住建局纪检监察组。' : 'Copy: discipline inspection group.',
      [
        locale === 'zh-CN' ? '泉州市住房和城乡建设局办公室' : 'Bureau office',
        locale === 'zh-CN' ? '2026年3月2日印发' : 'Issued 2 March 2026',
      ],
    ],
  };
}

/** A table of `rows` clerks, long enough to run over several pages. */
export function rosterTable(rows: number): Block {
  const names = ['张明华', '李晓燕', '王建国', '陈丽娟', '林志强', '黄秀英', '吴海峰', '郑雅琴'];
  return {
    kind: 'table',
    caption: '表1  窗口工作人员轮岗计划',
    columns: [
      { title: '序号', width: 3, align: 'center' },
      { title: '姓名', width: 5 },
      { title: '现岗位', width: 8 },
      { title: '拟轮岗岗位及理由', width: 14 },
    ],
    rows: Array.from({ length: rows }, (_, i) => [
      String(i + 1),
      names[i % names.length],
      `综合受理窗口${(i % 5) + 1}号`,
      i % 7 === 3
        ? '建设工程审批窗口。在现岗位已满五年，按规定应当轮岗；已掌握两项业务，拟培养第三项业务能力，并由原B岗人员接任A岗。'
        : `不动产登记窗口第${(i % 3) + 1}组`,
    ]),
  };
}

/** The sample ruling with a multi-page table (the rotation plan shape). */
export function sampleWithTable(rows = 60): OfficialDocument {
  return sampleRuling('zh-CN', [{ kind: 'heading', level: 1, text: '轮岗安排' }, rosterTable(rows)]);
}

/** A ruling that fits on one page: what the batch benchmark renders a thousand of. */
export function sampleOnePage(seq = 12): OfficialDocument {
  const t = loadTemplate('sample', 'zh-CN');
  const number = formatDocNumber('泉建核', 2026, seq);
  const data = { ...DATA, caseNo: `QZ-2026-${String(seq).padStart(6, '0')}` };
  return {
    organ: t.render('organ'),
    number,
    title: t.render('title', data),
    date: '2026-03-02',
    locale: 'zh-CN',
    // The GB/T 9704 header takes half of the first page: no addressee, so that the rest fits.
    blocks: [
      { kind: 'paragraph', text: t.render('body.intro', data) },
      { kind: 'paragraph', text: t.render('body.remedy', data) },
    ],
    signature: { organ: t.render('organ'), date: '2026-03-02' },
    verifyUrl: `https://neikong.example.gov.cn/verify/${encodeURIComponent(number)}`,
    verifyCaption: t.render('verifyCaption'),
  };
}
