/**
 * A small bureau and a policy set that uses every kind of grant and condition once, for the
 * authority engine tests. Dates are in Asia/Shanghai (UTC+8).
 */
import type { OrgDocumentInput } from '../../src/org/contract.ts';

export const smallOrg = (): OrgDocumentInput => ({
  version: 1,
  bureau: { code: 'T', name: '测试局', timeZone: 'Asia/Shanghai', head: 'H1' },
  departments: [{ code: 'D', name: '审批科', kind: 'section' }],
  windows: [{ code: 'W', name: '窗口', department: 'D' }],
  posts: [
    { code: 'P-ACC', name: '受理岗', window: 'W' },
    { code: 'P-REV', name: '审核岗', window: 'W', businesses: ['permit'] },
    { code: 'P-APP-1', name: '审批岗一', window: 'W', businesses: ['permit'] },
    { code: 'P-APP-2', name: '审批岗二', window: 'W', businesses: ['licence'] },
    { code: 'P-APP-3', name: '审批岗三', window: 'W', businesses: ['licence'] },
  ],
  staff: ['A1', 'R1', 'X1', 'X2', 'Y1', 'Y2', 'H1', 'N1'].map((no) => ({
    no,
    name: `员工${no}`,
    department: 'D',
  })),
  assignments: [
    { staff: 'A1', post: 'P-ACC', role: 'A', from: '2020-01-01' },
    { staff: 'R1', post: 'P-REV', role: 'A', from: '2020-01-01' },
    // 审批岗一 changes hands on 2026-03-16: X1 leaves it, X2 (its B until then) takes it over.
    { staff: 'X1', post: 'P-APP-1', role: 'A', from: '2020-01-01', to: '2026-03-15' },
    { staff: 'X2', post: 'P-APP-1', role: 'B', from: '2020-01-01', to: '2026-03-15' },
    { staff: 'X2', post: 'P-APP-1', role: 'A', from: '2026-03-16' },
    { staff: 'Y1', post: 'P-APP-2', role: 'A', from: '2020-01-01' },
    { staff: 'Y1', post: 'P-REV', role: 'B', from: '2020-01-01' },
    { staff: 'Y2', post: 'P-APP-2', role: 'B', from: '2020-01-01' },
    { staff: 'Y2', post: 'P-APP-3', role: 'A', from: '2020-01-01' },
  ],
  absences: [
    { staff: 'X1', from: '2026-03-02', to: '2026-03-04', reason: 'leave' },
    { staff: 'Y1', from: '2026-03-02', to: '2026-03-04', reason: 'training' },
    { staff: 'R1', from: '2026-03-09', to: '2026-03-09', reason: 'sick' },
  ],
  items: [
    {
      code: 'P1',
      name: '施工许可',
      business: 'permit',
      kind: 'committed',
      statutoryDays: 15,
      committedDays: 3,
      online: true,
      specialSeal: false,
    },
    {
      code: 'P2',
      name: '许可变更',
      business: 'permit',
      kind: 'instant',
      statutoryDays: 15,
      committedDays: 0,
      online: false,
      specialSeal: true,
    },
    {
      code: 'L1',
      name: '执照',
      business: 'licence',
      kind: 'committed',
      statutoryDays: 20,
      committedDays: 5,
      online: true,
    },
    {
      code: 'U1',
      name: '单位办理事项',
      business: 'permit',
      kind: 'committed',
      statutoryDays: 20,
      committedDays: 5,
      atWindow: false,
    },
  ],
});

export const grantsYaml = `version: 1
grants:
  - id: intake
    post: P-ACC
    actions: [receipt, accept]
    items: all
    when: { route: [normal, fast_track], channel: window }
  - id: key-intake
    post: P-ACC
    actions: [accept]
    items: { kinds: [committed] }
    when: { route: green_channel, projectKey: true }
  - id: refuse-intake
    post: P-ACC
    actions: [return]
    items: { atWindow: true }
    when: { stage: intake }
  - id: online-notice
    post: P-ACC
    actions: [notify_supplement]
    items: { online: true }
  - id: review
    post: P-REV
    actions: [review]
    items: { businesses: $post }
  - id: licence-clock
    post: P-REV
    actions: [clock_stop]
    items: { businesses: [licence] }
  - id: approve
    post: P-APP-*
    actions: [approve, return]
    items: { businesses: $post }
  - id: seal-special
    post: P-APP-*
    actions: [seal]
    items: { businesses: $post, specialSeal: true }
    when: { seal: special }
  - id: one-item
    post: P-APP-2
    actions: [deliver]
    items: { codes: [P2] }
  - id: extension
    head: true
    actions: [approve_extension]
    items: all
`;

export const separationYaml = `version: 1
separation:
  - id: accept-not-approve
    action: approve
    items: { kinds: [committed, joint] }
    conflictsWith: accept
    message: 受理承诺件的人员不得审批
  - id: no-self-review
    action: review
    conflictsWith: [receipt, accept]
    message: 不得审核自己受理的案件
  - id: extension-not-self
    action: approve_extension
    conflictsWith: [approve]
    message: 不得自批延期
`;

export const smallPolicies = () => ({ 'grants.yaml': grantsYaml, 'separation.yaml': separationYaml });

/** A Shanghai local time as an instant. */
export const cst = (local: string) => new Date(`${local}+08:00`);
