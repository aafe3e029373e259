/**
 * Applicants and key projects for the demo cases: Quanzhou-sounding company names with valid
 * unified social credit codes (GB 32100-2015), people with valid-looking resident ID numbers
 * (GB 11643-1999), and the city's key projects (重点项目). All invented; the check digits are
 * right so that a validator in the approval system would take them.
 *
 * @example
 * orgApplicant(rnd, 'construction-permit') // { kind: 'org', name: '晋江市鑫诚建设工程有限公司', id: '91350582MA2Y...' }
 */
import type { Random } from './random.ts';

export interface Applicant {
  kind: 'person' | 'org';
  name: string;
  id: string;
}

export interface KeyProject {
  code: string;
  name: string;
  key: true;
}

/** Quanzhou's districts and county-level cities with their administrative division codes. */
const places: [string, string][] = [
  ['泉州市', '350500'],
  ['泉州市鲤城区', '350502'],
  ['泉州市丰泽区', '350503'],
  ['泉州市洛江区', '350504'],
  ['泉州市泉港区', '350505'],
  ['惠安县', '350521'],
  ['安溪县', '350524'],
  ['永春县', '350525'],
  ['德化县', '350526'],
  ['石狮市', '350581'],
  ['晋江市', '350582'],
  ['南安市', '350583'],
];

const brands = [
  '鑫诚',
  '恒达',
  '宏源',
  '华泰',
  '闽南',
  '泉华',
  '建发',
  '中利',
  '永盛',
  '海峡',
  '东升',
  '金山',
  '信和',
  '刺桐',
  '清源',
  '汇通',
  '联丰',
  '远洋',
  '瑞祥',
  '隆兴',
  '晟达',
  '嘉禾',
  '安泰',
  '开元',
];

/** Company kinds that apply for each business. */
const trades: Record<string, string[]> = {
  'construction-permit': ['房地产开发有限公司', '建设工程有限公司', '置业有限公司'],
  'enterprise-qualification': [
    '建筑工程有限公司',
    '建设集团有限公司',
    '工程监理有限公司',
    '工程造价咨询有限公司',
  ],
  'safety-licence': ['建筑工程有限公司', '市政工程有限公司', '建筑劳务有限公司'],
  'post-certificate': ['建筑工程有限公司', '建筑劳务有限公司'],
  'building-materials': ['新型建材有限公司', '混凝土有限公司', '墙体材料有限公司', '水泥制品有限公司'],
  'urban-construction': ['市政工程有限公司', '燃气有限公司', '广告传媒有限公司', '管网工程有限公司'],
  'engineering-construction': ['建设工程有限公司', '房地产开发有限公司', '招标代理有限公司'],
  'survey-design': ['勘察设计院有限公司', '建筑设计研究院有限公司', '岩土工程勘察有限公司'],
};

const surnames = '陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾廖赖徐周叶苏庄吕江何萧罗高潘施傅颜';
const givenChars =
  '明华建国志强秀英丽娟海峰晓东美玲文斌雅婷少杰国平淑芬振宇金龙思远佳慧永福春梅伟静磊鸿燕俊杰德';

// GB 32100: 31 characters (no I, O, Z, S, V) and the weights of the 18th, check character.
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
// GB 11714 organisation code (the 9th to 17th characters): weights of its own check character.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// GB 11643 resident ID: weights and the check character for sum mod 11.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A unified social credit code: "91" (enterprise), division, organisation code, check. */
export function creditCode(rnd: Random, division: string): string {
  // New-style organisation codes start with "MA"; their characters come from the 31-character set.
  let body = 'MA';
  for (let i = 0; i < 6; i++) body += CODE_CHARS[rnd.int(0, 30)];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_CHARS.indexOf(body[i]) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  const orgCode = body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
  const first17 = `91${division}${orgCode}`;
  let total = 0;
  for (let i = 0; i < 17; i++) total += CODE_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return first17 + CODE_CHARS[(31 - (total % 31)) % 31];
}

/** Whether an 18-character code has a valid GB 32100 check character (the demo's own check). */
export function isCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{18}$/.test(code)) return false;
  let total = 0;
  for (let i = 0; i < 17; i++) total += CODE_CHARS.indexOf(code[i]) * USCC_WEIGHTS[i];
  return CODE_CHARS[(31 - (total % 31)) % 31] === code[17];
}

/** An 18-character resident ID: division, birth date (1960-2002), sequence, check. */
export function residentId(rnd: Random, division: string): string {
  const y = rnd.int(1960, 2002);
  const m = String(rnd.int(1, 12)).padStart(2, '0');
  const d = String(rnd.int(1, 28)).padStart(2, '0');
  const first17 = `${division}${y}${m}${d}${String(rnd.int(1, 999)).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return first17 + ID_CHECK[sum % 11];
}

/** Whether an ID number has a valid GB 11643 check character. */
export function isResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === id[17];
}

export function orgApplicant(rnd: Random, business: string): Applicant {
  const [place, division] = rnd.pick(places);
  const name = `${place}${rnd.pick(brands)}${rnd.pick(trades[business] ?? trades['construction-permit'])}`;
  return { kind: 'org', name, id: creditCode(rnd, division) };
}

export function personApplicant(rnd: Random): Applicant {
  const [, division] = rnd.pick(places);
  const given = rnd.pick([...givenChars]) + (rnd.chance(0.7) ? rnd.pick([...givenChars]) : '');
  // A county's own people mostly: a division code ending in 00 is the city, not a residence.
  return {
    kind: 'person',
    name: rnd.pick([...surnames]) + given,
    id: residentId(rnd, division === '350500' ? '350503' : division),
  };
}

const projectSites = ['泉州湾', '晋江', '石狮', '南安', '惠安', '洛江', '丰泽', '泉港', '安溪', '台商投资区'];
const projectKinds = [
  '跨海通道连接线工程',
  '滨海大道提升改造工程',
  '城市综合管廊工程',
  '安置房建设项目',
  '保障性住房项目',
  '污水处理厂扩建工程',
  '中心医院新院区建设项目',
  '体育中心建设项目',
  '产业园标准厂房项目',
  '高铁站片区配套道路工程',
  '学校新校区建设项目',
  '海绵城市示范工程',
];

/** The city's key projects for a year (市委、市府确定的重点项目): a fixed list per seed. */
export function keyProjects(rnd: Random, year: number, count = 30): KeyProject[] {
  const out: KeyProject[] = [];
  const names = new Set<string>();
  while (out.length < count) {
    const name = `${rnd.pick(projectSites)}${rnd.pick(projectKinds)}`;
    if (names.has(name)) continue;
    names.add(name);
    out.push({ code: `QZZD-${year}-${String(out.length + 1).padStart(3, '0')}`, name, key: true });
  }
  return out;
}
