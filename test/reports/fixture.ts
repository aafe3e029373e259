/**
 * The reports' hand-checked fixture: nine cases in the first two weeks of March 2026 in the demo
 * bureau (seed 1), on SG-001 (施工许可证核发: committed 3 working days, statutory 15) and SG-003
 * (延期: instant, statutory 15). March 2026 has no holiday, so working days are Monday-Friday.
 *
 * | case | channel | received | what happens                                  | due    | used |
 * |------|---------|----------|-----------------------------------------------|--------|------|
 * | A    | window  | Mon 3-02 | accept 3-02, complete 3-04 (S026)             | 3-05   | 2 (early)   |
 * | B    | online  | Mon 3-02 | accept 3-02 by S007, complete 3-05            | 3-05   | 3 (on time) |
 * | C    | window  | Tue 3-03 | accept 3-03, complete 3-10                    | 3-06   | 5 (late)    |
 * | D    | online  | Wed 3-04 | SG-003 instant: accept and complete 3-04      | 3-04   | 0 (on time, not early) |
 * | E    | window  | Wed 3-04 | supplement notice 3-04, nothing since         | none   | open, no deadline |
 * | F    | window  | Thu 3-05 | accept 3-05, open                             | 3-10   | open |
 * | G    | window  | Thu 3-05 | returned at intake 3-05, completed (returned) | none   | closed before acceptance |
 * | H    | window  | Fri 3-06 | accept 3-06, approve by S026 (outside authority), complete 3-06 | 3-11 | 0 (early) |
 * | I    | window  | Mon 3-02 | accept 3-02, open: red from 3-06, red card from 3-10 | 3-05 | open |
 *
 * Applicants carry distinct names and ids so the public page can be checked against them all.
 */
import { STAFF, story } from '../cases/support.ts';

/** The staff holding 综合受理岗二 (A) in the demo bureau: a second accepting clerk. */
export const SECOND_CLERK = 'S007';

export const APPLICANTS = {
  A: { kind: 'org', name: '泉州甲乙建设有限公司', id: '91350500MA2YAAAA1A' },
  B: { kind: 'person', name: '王小明', id: '350502198801012345' },
  C: { kind: 'org', name: '晋江丙丁建筑工程有限公司', id: '91350582MA2YCCCC3C' },
  D: { kind: 'person', name: '李红梅', id: '350503199202024567' },
  E: { kind: 'person', name: '张伟强', id: '350504198503036789' },
  F: { kind: 'org', name: '石狮戊己市政工程有限公司', id: '91350581MA2YFFFF6F' },
  G: { kind: 'person', name: '陈秀英', id: '350505197904048901' },
  H: { kind: 'org', name: '南安庚辛建材有限公司', id: '91350583MA2YHHHH8H' },
  I: { kind: 'person', name: '黄志刚', id: '350506199505051122' },
} as const;

const when = (d: string, t = '10:00') => `2026-03-${d}T${t}:00+08:00`;
const head = (key: keyof typeof APPLICANTS, received: string, over: Record<string, unknown> = {}) => ({
  receivedAt: received,
  applicant: APPLICANTS[key],
  ...over,
});

const returnData = {
  stage: 'intake',
  reasons: ['申请材料不属于本机关受理范围'],
  legalBasis: '《中华人民共和国行政许可法》第三十二条',
  remedies: ['向有权机关提出申请'],
  appealRightsNotified: true,
};

/** The case-events lines of the fixture. */
export function fixtureLines() {
  return [
    ...story(
      'RPT-A',
      [
        [when('02', '09:20'), 'receipt'],
        [when('02', '09:30'), 'accept'],
        [when('03'), 'review'],
        [when('04', '15:00'), 'approve'],
        [when('04', '16:00'), 'complete'],
      ],
      head('A', when('02', '09:15')),
    ),
    ...story(
      'RPT-B',
      [
        [when('02', '10:20'), 'receipt', SECOND_CLERK],
        [when('02', '10:30'), 'accept', SECOND_CLERK],
        [when('03'), 'review'],
        [when('05', '14:00'), 'approve'],
        [when('05', '15:00'), 'complete'],
      ],
      head('B', when('02', '10:15'), { channel: 'online' }),
    ),
    ...story(
      'RPT-C',
      [
        [when('03', '09:10'), 'receipt'],
        [when('03', '09:20'), 'accept'],
        [when('04'), 'review'],
        [when('10', '14:00'), 'approve'],
        [when('10', '15:00'), 'complete'],
      ],
      head('C', when('03', '09:00')),
    ),
    ...story(
      'RPT-D',
      [
        [when('04', '10:05'), 'receipt'],
        [when('04', '10:10'), 'accept'],
        [when('04', '10:20'), 'approve'],
        [when('04', '10:30'), 'complete'],
      ],
      head('D', when('04', '10:00'), { itemCode: 'SG-003', channel: 'online' }),
    ),
    ...story(
      'RPT-E',
      [
        [when('04', '11:05'), 'receipt'],
        [when('04', '11:10'), 'notify_supplement'],
      ],
      head('E', when('04', '11:00')),
    ),
    ...story(
      'RPT-F',
      [
        [when('05', '09:05'), 'receipt'],
        [when('05', '09:10'), 'accept'],
      ],
      head('F', when('05', '09:00')),
    ),
    ...story(
      'RPT-G',
      [
        [when('05', '10:05'), 'receipt'],
        [when('05', '10:30'), 'return', STAFF.accept, returnData],
        [when('05', '11:00'), 'complete', STAFF.accept, { result: 'returned' }],
      ],
      head('G', when('05', '10:00')),
    ),
    ...story(
      'RPT-H',
      [
        [when('06', '09:05'), 'receipt'],
        [when('06', '09:10'), 'accept'],
        [when('06', '10:00'), 'approve', STAFF.accept],
        [when('06', '11:00'), 'complete'],
      ],
      head('H', when('06', '09:00')),
    ),
    ...story(
      'RPT-I',
      [
        [when('02', '11:05'), 'receipt'],
        [when('02', '11:10'), 'accept'],
      ],
      head('I', when('02', '11:00')),
    ),
  ];
}

/** When the fixture is ingested: the Monday after, so clocks and red cards stand as of then. */
export const INGESTED_AT = new Date('2026-03-16T10:00:00+08:00');
