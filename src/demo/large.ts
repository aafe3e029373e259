/**
 * A generated bureau of any size (province scale), for benchmarks and paging tests: `staffCount`
 * staff over windows of ~20 posts, each post with an A and a B holder.
 *
 * @example
 * const doc = largeOrg(10_000); // 10,000 staff, 5,000 posts, 10,000 assignments
 */
import type { OrgDocumentInput } from '../org/contract.ts';
import { businesses, catalogItems } from './catalog.ts';
import { seededRandom } from './random.ts';

export function largeOrg(staffCount: number, seed = 1): OrgDocumentInput {
  const rnd = seededRandom(seed);
  const businessCodes = Object.keys(businesses);
  const postCount = Math.max(1, Math.floor(staffCount / 2));
  const windowCount = Math.max(1, Math.ceil(postCount / 20));
  const departments = Array.from({ length: Math.max(1, Math.ceil(windowCount / 5)) }, (_, i) => ({
    code: `D${i + 1}`,
    name: `第${i + 1}审批科`,
    kind: 'section' as const,
  }));
  const windows = Array.from({ length: windowCount }, (_, i) => ({
    code: `W${i + 1}`,
    name: `第${i + 1}窗口`,
    department: departments[Math.floor(i / 5)].code,
  }));
  const posts = Array.from({ length: postCount }, (_, i) => ({
    code: `P${i + 1}`,
    name: `岗位${i + 1}`,
    window: windows[Math.floor(i / 20)].code,
    key: rnd.chance(0.3),
    businesses: [rnd.pick(businessCodes)],
  }));
  const staff = Array.from({ length: staffCount }, (_, i) => ({
    no: `S${String(i + 1).padStart(6, '0')}`,
    name: `职员${i + 1}`,
    department: departments[Math.floor(i / 2 / 100) % departments.length].code,
    hiredOn: `${rnd.int(2000, 2023)}-0${rnd.int(1, 9)}-01`,
    competencies: [...new Set([rnd.pick(businessCodes), rnd.pick(businessCodes)])],
    conflicts: [],
  }));
  const assignments = posts.flatMap((p, i) => [
    { staff: staff[2 * i].no, post: p.code, role: 'A' as const, from: `20${10 + (i % 14)}-01-01`, to: null },
    {
      staff: staff[(2 * i + 1) % staffCount].no,
      post: p.code,
      role: 'B' as const,
      from: `20${10 + (i % 14)}-03-01`,
      to: null,
    },
  ]);
  return {
    version: 1,
    bureau: { code: 'PROV', name: '省级审批局(生成)', timeZone: 'Asia/Shanghai', head: staff[0].no },
    departments,
    windows,
    posts,
    staff,
    assignments,
    absences: [],
    items: catalogItems().map((i) => ({ ...i, department: departments[0].code })),
  };
}
