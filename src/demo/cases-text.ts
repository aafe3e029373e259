/**
 * The words of the demo cases: refusal reasons with their legal basis and remedies (否定报备制,
 * seed section 七: on refusal, explain why and how to put it right), review notes, filing notes,
 * and the departments a parallel case is sent to.
 */
import type { Random } from './random.ts';

export interface Refusal {
  reasons: string[];
  legalBasis: string;
  remedies: string[];
}

const intake: Refusal[] = [
  {
    reasons: ['申请事项依法不需要取得行政许可'],
    legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第(一)项',
    remedies: ['按一般备案程序办理，无需申请许可'],
  },
  {
    reasons: ['申请事项不属于本机关职权范围'],
    legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第(二)项',
    remedies: ['向项目所在地县级住房和城乡建设主管部门提出申请'],
  },
  {
    reasons: ['经一次性告知后，申请人逾期未补正申请材料', '申请表未经法定代表人签字盖章'],
    legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第(四)项',
    remedies: ['按办事指南补齐申请材料后重新申请', '申请表由法定代表人签字并加盖单位公章'],
  },
];

const decision: Refusal[] = [
  {
    reasons: ['企业净资产未达到资质标准要求', '技术负责人职称与工作年限不符合资质标准'],
    legalBasis: '《中华人民共和国行政许可法》第三十八条第二款；《建筑业企业资质管理规定》第十条',
    remedies: ['补充注资并提供验资证明', '聘任符合条件的技术负责人后重新申请'],
  },
  {
    reasons: ['施工图设计文件审查未通过'],
    legalBasis: '《中华人民共和国行政许可法》第三十八条第二款；《建筑工程施工许可管理办法》第四条',
    remedies: ['按审查意见修改施工图并重新送审，取得审查合格书后再次申请'],
  },
  {
    reasons: ['安全生产条件不符合规定：未按规定配备专职安全生产管理人员'],
    legalBasis: '《中华人民共和国行政许可法》第三十八条第二款；《建筑施工企业安全生产许可证管理规定》第四条',
    remedies: ['配备持证专职安全生产管理人员并建立安全生产责任制后重新申请'],
  },
  {
    reasons: ['占用、挖掘城市道路方案未取得公安交通管理部门同意'],
    legalBasis: '《中华人民共和国行政许可法》第三十八条第二款；《城市道路管理条例》第三十条',
    remedies: ['取得公安交通管理部门意见后重新申请'],
  },
  {
    reasons: ['申请材料与实际情况不符，经现场核查不具备申请条件'],
    legalBasis: '《中华人民共和国行政许可法》第三十八条第二款',
    remedies: ['整改至符合条件后重新申请，可咨询窗口获取办事指南'],
  },
];

export const intakeRefusal = (rnd: Random): Refusal => rnd.pick(intake);
export const decisionRefusal = (rnd: Random): Refusal => rnd.pick(decision);

export const refusalNote = (rnd: Random) =>
  rnd.pick(['申请条件不符，拟不予许可', '经审核不符合许可条件', '现场核查不符合要求，建议不予许可']);

export const filingNote = (stage: 'intake' | 'decision') =>
  stage === 'intake' ? '不予受理，按否定报备制报科长备案' : '不予许可，按否定报备制报科长备案';

/** Departments a parallel (并联) case is sent to for an opinion, by the item's business. */
const opinionDepartments: Record<string, string[]> = {
  'enterprise-qualification': ['D-MARKET', 'D-SAFETY', 'D-LEGAL'],
  'urban-construction': ['D-URBAN', 'D-QUALITY', 'D-LEGAL'],
  'engineering-construction': ['D-TENDER', 'D-MARKET', 'D-DESIGN'],
  'survey-design': ['D-DESIGN', 'D-QUALITY', 'D-URBAN'],
};

/** Two or three departments, always including the item's own department when it has one. */
export function dispatchTo(rnd: Random, business: string, own: string | null | undefined): string[] {
  const pool = opinionDepartments[business] ?? ['D-MARKET', 'D-QUALITY', 'D-LEGAL'];
  const picked = rnd.shuffle(pool).slice(0, rnd.int(2, 3));
  if (own && own !== 'D-APPROVAL' && !picked.includes(own)) picked[0] = own;
  return [...new Set(picked)].sort();
}
