/**
 * Test support for the case ledger: the demo bureau loaded, and builders for `case-events` lines.
 * Staff below hold the posts that may do each step on construction-permit items (SG-*) in the
 * demo organisation of seed 1.
 */
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { testApp } from '../helpers.ts';

export const STAFF = {
  /** 综合受理岗一 A holder. */
  accept: 'S026',
  /** 施工许可审核岗 A holder. */
  review: 'S009',
  /** 审批岗一 A holder. */
  approve: 'S010',
  /** 公告报备岗 A holder. */
  announce: 'S016',
  head: 'S001',
  chief: 'S003',
};

export type Line = Record<string, unknown>;

/** A case line with defaults (SG-001: committed 3, fast track 1, statutory 15 working days). */
export function caseLine(caseNo: string, over: Partial<Line> = {}): Line {
  return {
    type: 'case',
    caseNo,
    itemCode: 'SG-001',
    route: 'normal',
    channel: 'window',
    receivedAt: '2026-03-02T09:15:00+08:00',
    applicant: { kind: 'person', name: '陈明', id: '350502199001011234' },
    project: null,
    ...over,
  };
}

export function ev(
  caseNo: string,
  seq: number,
  at: string,
  action: string,
  actor: string,
  data: Record<string, unknown> = {},
): Line {
  return {
    type: 'event',
    caseNo,
    seq,
    at: at.includes('T') ? at : `${at}T10:00:00+08:00`,
    action,
    actor,
    data,
  };
}

/**
 * A case and its events from a compact list: [date or time, action, actor?, data?]; seq numbers
 * follow the list. Actors default by action to the staff above.
 */
export function story(
  caseNo: string,
  steps: [string, string, string?, Record<string, unknown>?][],
  over: Partial<Line> = {},
): Line[] {
  const defaults: Record<string, string> = {
    receipt: STAFF.accept,
    notify_supplement: STAFF.accept,
    supplement: STAFF.accept,
    accept: STAFF.accept,
    review: STAFF.review,
    approve: STAFF.approve,
    seal: STAFF.approve,
    complete: STAFF.approve,
    announce: STAFF.announce,
  };
  const data: Record<string, Record<string, unknown>> = {
    receipt: { receiptNo: `R-${caseNo}` },
    review: { opinion: 'grant' },
    complete: { result: 'granted' },
    seal: { seal: 'special' },
    notify_supplement: { missing: ['M2'] },
    supplement: { materials: ['M2'] },
  };
  return [
    caseLine(caseNo, over),
    ...steps.map(([at, action, actor, d], i) =>
      ev(caseNo, i + 1, at, action, actor ?? defaults[action] ?? STAFF.accept, d ?? data[action] ?? {}),
    ),
  ];
}

export const ndjson = (lines: Line[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

/** A test app with the demo bureau loaded. */
export async function ledgerApp() {
  const t = await testApp();
  await importOrg(t.db, demoOrg(1), { actor: 'test', today: '2026-01-05' });
  return t;
}
