/**
 * The demo bureau's organisation: windows, posts with A/B holders and their history, ~40 staff
 * with 1-3 competencies, absences and declared conflicts. Deterministic for a given seed.
 */
import type { OrgDocumentInput } from '../org/contract.ts';
import { type Business, catalogItems, departments } from './catalog.ts';
import { seededRandom } from './random.ts';

const surnames = '陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾廖赖徐周叶苏庄吕江何萧罗高潘';
const given = [
  '明',
  '华',
  '建国',
  '志强',
  '秀英',
  '丽娟',
  '海峰',
  '晓东',
  '美玲',
  '文斌',
  '雅婷',
  '少杰',
  '国平',
  '淑芬',
  '振宇',
  '金龙',
  '丽华',
  '思远',
  '佳慧',
  '永福',
  '春梅',
  '伟',
  '静',
  '磊',
  '婷婷',
  '鸿',
  '燕',
  '俊杰',
  '凤英',
  '德明',
];

interface PostSpec {
  code: string;
  name: string;
  window: string;
  key: boolean;
  businesses: Business[];
}

export const demoPosts: PostSpec[] = [
  { code: 'P-ACCEPT-1', name: '综合受理岗一', window: 'W1', key: false, businesses: [] },
  { code: 'P-ACCEPT-2', name: '综合受理岗二', window: 'W1', key: false, businesses: [] },
  { code: 'P-ACCEPT-3', name: '网上受理岗', window: 'W2', key: false, businesses: [] },
  {
    code: 'P-REVIEW-SG',
    name: '施工许可审核岗',
    window: 'W1',
    key: true,
    businesses: ['construction-permit'],
  },
  {
    code: 'P-REVIEW-ZZ',
    name: '企业资质审核岗',
    window: 'W1',
    key: true,
    businesses: ['enterprise-qualification'],
  },
  {
    code: 'P-REVIEW-AQ',
    name: '安全生产许可审核岗',
    window: 'W1',
    key: true,
    businesses: ['safety-licence'],
  },
  { code: 'P-REVIEW-GW', name: '岗位证书审核岗', window: 'W1', key: false, businesses: ['post-certificate'] },
  { code: 'P-REVIEW-JC', name: '建材审核岗', window: 'W1', key: false, businesses: ['building-materials'] },
  { code: 'P-REVIEW-CJ', name: '城建审核岗', window: 'W2', key: false, businesses: ['urban-construction'] },
  {
    code: 'P-REVIEW-GC',
    name: '工程建设审核岗',
    window: 'W2',
    key: false,
    businesses: ['engineering-construction'],
  },
  { code: 'P-REVIEW-KC', name: '勘察设计审核岗', window: 'W2', key: false, businesses: ['survey-design'] },
  {
    code: 'P-APPROVE-1',
    name: '审批岗一(施工许可、工程建设)',
    window: 'W1',
    key: true,
    businesses: ['construction-permit', 'engineering-construction'],
  },
  {
    code: 'P-APPROVE-2',
    name: '审批岗二(企业资质、勘察设计)',
    window: 'W1',
    key: true,
    businesses: ['enterprise-qualification', 'survey-design'],
  },
  {
    code: 'P-APPROVE-3',
    name: '审批岗三(安全许可、岗位证书)',
    window: 'W1',
    key: true,
    businesses: ['safety-licence', 'post-certificate'],
  },
  {
    code: 'P-APPROVE-4',
    name: '审批岗四(建材、城建)',
    window: 'W2',
    key: true,
    businesses: ['building-materials', 'urban-construction'],
  },
  { code: 'P-ANNOUNCE', name: '公告报备岗', window: 'W1', key: false, businesses: [] },
  { code: 'P-CHIEF', name: '审核审批科科长岗', window: 'W1', key: true, businesses: [] },
];

/** Staff who are not window clerks, by number: the head, leaders, inspectors, HR. */
export const demoRoles = {
  head: 'S001',
  leader: 'S002',
  inspector: 'S036',
  inspector2: 'S037',
  hr: 'S039',
};

export function demoOrg(seed = 1): OrgDocumentInput {
  const rnd = seededRandom(seed);
  const names = new Set<string>();
  const personName = () => {
    for (;;) {
      const n = rnd.pick([...surnames]) + rnd.pick(given);
      if (!names.has(n)) {
        names.add(n);
        return n;
      }
    }
  };
  const items = catalogItems();
  const staff: NonNullable<OrgDocumentInput['staff']> = [];
  const no = (i: number) => `S${String(i).padStart(3, '0')}`;
  const deptOf = (i: number) => {
    if (i <= 2) return 'D-OFFICE';
    if (i >= 36 && i <= 38) return 'D-DISCIPLINE';
    if (i >= 39) return 'D-HR';
    return 'D-APPROVAL';
  };
  for (let i = 1; i <= 40; i++) {
    const year = rnd.int(2005, 2022);
    staff.push({
      no: no(i),
      name: personName(),
      department: deptOf(i),
      hiredOn: `${year}-${String(rnd.int(1, 12)).padStart(2, '0')}-01`,
      competencies: [],
      conflicts: [],
    });
  }
  // Window clerks S003..S035 hold the posts: A holders first, then B backups from the rest.
  const clerks = rnd.shuffle(staff.slice(2, 35).map((s) => s.no));
  const assignments: NonNullable<OrgDocumentInput['assignments']> = [];
  const competencies = new Map<string, Set<string>>();
  const know = (s: string, b: string[]) => {
    const set = competencies.get(s) ?? new Set();
    for (const x of b) set.add(x);
    competencies.set(s, set);
  };
  const chiefNo = 'S003';
  const holders = clerks.filter((s) => s !== chiefNo);
  const posts = demoPosts.map((p) => ({ ...p }));
  posts.forEach((p, idx) => {
    const a = p.code === 'P-CHIEF' ? chiefNo : holders[idx];
    const b = p.code === 'P-CHIEF' ? demoRoles.leader : holders[(idx + posts.length) % holders.length];
    const aFrom = `${rnd.int(2019, 2024)}-${String(rnd.int(1, 12)).padStart(2, '0')}-01`;
    const bFrom = `${aFrom.slice(0, 4)}-${String(rnd.int(1, 12)).padStart(2, '0')}-15`;
    assignments.push({ staff: a, post: p.code, role: 'A', from: aFrom, to: null });
    assignments.push({ staff: b, post: p.code, role: 'B', from: bFrom < aFrom ? aFrom : bFrom, to: null });
    know(a, p.businesses);
    know(b, p.businesses);
    // History: the post's earlier A holder, who has since moved (a past rotation).
    if (idx % 3 === 0) {
      const prev = holders[(idx + 7) % holders.length];
      const prevFrom = `${Number(aFrom.slice(0, 4)) - 4}${aFrom.slice(4)}`;
      const dayBefore = new Date(`${aFrom}T00:00:00Z`);
      dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
      assignments.push({
        staff: prev,
        post: p.code,
        role: 'A',
        from: prevFrom,
        to: dayBefore.toISOString().slice(0, 10),
      });
      know(prev, p.businesses);
    }
  });
  const allBusinesses = [...new Set(items.map((i) => i.business))];
  for (const s of staff) {
    const set = competencies.get(s.no) ?? new Set<string>();
    // Every clerk knows at least one business; some know a second or third.
    if (set.size === 0 && s.department === 'D-APPROVAL') set.add(rnd.pick(allBusinesses));
    while (s.department === 'D-APPROVAL' && set.size < 3 && rnd.chance(0.35))
      set.add(rnd.pick(allBusinesses));
    s.competencies = [...set].sort();
  }
  // Declared conflicts of interest (回避): a relative working for an applicant.
  staff[rnd.int(5, 20)].conflicts = [{ kind: 'relative', item: items[6].code, note: '配偶任职于申请企业' }];
  staff[rnd.int(21, 34)].conflicts = [
    { kind: 'former-employer', item: items[14].code, note: '曾任职于该企业(三年内)' },
  ];

  const absences: NonNullable<OrgDocumentInput['absences']> = [];
  const aHolders = assignments.filter((a) => a.role === 'A' && !a.to).map((a) => a.staff);
  const reasons = ['leave', 'training', 'sick', 'business-trip'];
  for (let k = 0; k < 10; k++) {
    const who = aHolders[(k * 5 + rnd.int(0, 2)) % aHolders.length];
    const month = rnd.int(1, 12);
    const from = `2026-${String(month).padStart(2, '0')}-${String(rnd.int(1, 20)).padStart(2, '0')}`;
    const to = new Date(`${from}T00:00:00Z`);
    to.setUTCDate(to.getUTCDate() + rnd.int(0, 4));
    if (absences.some((a) => a.staff === who && a.from === from)) continue;
    absences.push({ staff: who, from, to: to.toISOString().slice(0, 10), reason: rnd.pick(reasons) });
  }

  return {
    version: 1,
    bureau: { code: 'QZJS', name: '泉州市建设局', timeZone: 'Asia/Shanghai', head: demoRoles.head },
    departments: departments.map((d) => ({ ...d })),
    windows: [
      { code: 'W1', name: '建设局综合窗口', department: 'D-APPROVAL' },
      { code: 'W2', name: '建设局网上审批与城建窗口', department: 'D-APPROVAL' },
    ],
    posts: posts.map(({ code, name, window, key, businesses }) => ({ code, name, window, key, businesses })),
    staff,
    assignments,
    absences,
    items,
  };
}
