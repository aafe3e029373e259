/**
 * The demo bureau's units and approval items, after the Quanzhou Construction Bureau of the
 * source document: 14 units (10 sections, 4 institutions) and 54 items, 46 at the window
 * (36 online). The committed limits are 935 working days shorter than the statutory ones over
 * the 49 items that have a statutory limit, as the source reports.
 */
export const departments = [
  { code: 'D-APPROVAL', name: '审核审批科', kind: 'section' },
  { code: 'D-OFFICE', name: '办公室', kind: 'section' },
  { code: 'D-LEGAL', name: '政策法规科', kind: 'section' },
  { code: 'D-MARKET', name: '建筑市场监管科', kind: 'section' },
  { code: 'D-SAFETY', name: '质量安全科', kind: 'section' },
  { code: 'D-MATERIALS', name: '建材管理科', kind: 'section' },
  { code: 'D-URBAN', name: '城市建设科', kind: 'section' },
  { code: 'D-DESIGN', name: '勘察设计科', kind: 'section' },
  { code: 'D-HR', name: '人事教育科', kind: 'section' },
  { code: 'D-DISCIPLINE', name: '监察室', kind: 'section' },
  { code: 'D-QUALITY', name: '建设工程质量安全监督站', kind: 'institution' },
  { code: 'D-TENDER', name: '建设工程招标投标管理办公室', kind: 'institution' },
  { code: 'D-WALL', name: '墙体材料改革办公室', kind: 'institution' },
  { code: 'D-TRAINING', name: '建设职业技能培训中心', kind: 'institution' },
] as const;

export const businesses = {
  'construction-permit': '施工许可',
  'enterprise-qualification': '企业资质',
  'safety-licence': '安全生产许可',
  'post-certificate': '岗位证书',
  'building-materials': '建筑材料',
  'urban-construction': '城市建设',
  'engineering-construction': '工程建设',
  'survey-design': '勘察设计',
} as const;
export type Business = keyof typeof businesses;

type Kind = 'instant' | 'committed' | 'joint';
/** [name, business, kind, statutory days, committed days, department] */
type ItemRow = [string, Business, Kind, number, number, string];

// Statutory and committed limits in working days; the reductions add up to the source's 935 days
// over the 49 items with a statutory limit (a test keeps it so).
const rows: ItemRow[] = [
  ['建筑工程施工许可证核发', 'construction-permit', 'committed', 15, 3, 'D-APPROVAL'],
  ['建筑工程施工许可证变更', 'construction-permit', 'committed', 15, 2, 'D-APPROVAL'],
  ['建筑工程施工许可证延期', 'construction-permit', 'instant', 15, 0, 'D-APPROVAL'],
  ['建筑工程开工报告审批', 'construction-permit', 'committed', 20, 3, 'D-APPROVAL'],
  ['建设工程施工安全监督备案', 'construction-permit', 'committed', 20, 2, 'D-QUALITY'],
  ['建设工程质量监督注册', 'construction-permit', 'committed', 20, 2, 'D-QUALITY'],
  ['建筑业企业资质核准(新办)', 'enterprise-qualification', 'committed', 60, 15, 'D-MARKET'],
  ['建筑业企业资质增项', 'enterprise-qualification', 'committed', 60, 15, 'D-MARKET'],
  ['建筑业企业资质升级', 'enterprise-qualification', 'joint', 60, 15, 'D-MARKET'],
  ['建筑业企业资质变更', 'enterprise-qualification', 'committed', 20, 5, 'D-MARKET'],
  ['工程监理企业资质核准', 'enterprise-qualification', 'committed', 60, 15, 'D-MARKET'],
  ['工程造价咨询企业资质核准', 'enterprise-qualification', 'committed', 60, 15, 'D-MARKET'],
  ['工程招标代理机构资格认定', 'enterprise-qualification', 'committed', 40, 15, 'D-TENDER'],
  ['房地产开发企业资质核定', 'enterprise-qualification', 'joint', 40, 15, 'D-MARKET'],
  ['建筑施工企业安全生产许可证核发', 'safety-licence', 'committed', 45, 20, 'D-SAFETY'],
  ['建筑施工企业安全生产许可证延期', 'safety-licence', 'committed', 45, 10, 'D-SAFETY'],
  ['建筑施工企业安全生产许可证变更', 'safety-licence', 'committed', 20, 5, 'D-SAFETY'],
  ['施工企业主要负责人安全生产考核合格证书核发', 'safety-licence', 'committed', 20, 10, 'D-SAFETY'],
  ['建筑施工特种作业人员操作资格证书核发', 'safety-licence', 'committed', 20, 10, 'D-SAFETY'],
  ['监理员岗位证书核发', 'post-certificate', 'instant', 20, 0, 'D-TRAINING'],
  ['施工员岗位证书核发', 'post-certificate', 'instant', 20, 0, 'D-TRAINING'],
  ['质量员岗位证书核发', 'post-certificate', 'instant', 20, 0, 'D-TRAINING'],
  ['安全员岗位证书核发', 'post-certificate', 'instant', 20, 0, 'D-TRAINING'],
  ['初级岗位证书核发', 'post-certificate', 'instant', 20, 0, 'D-TRAINING'],
  ['岗位证书变更', 'post-certificate', 'instant', 20, 0, 'D-TRAINING'],
  ['新型墙体材料认定', 'building-materials', 'committed', 20, 10, 'D-WALL'],
  ['预拌混凝土企业资质核准', 'building-materials', 'committed', 40, 15, 'D-MATERIALS'],
  ['建材产品备案', 'building-materials', 'committed', 20, 5, 'D-MATERIALS'],
  ['散装水泥专项资金返退审核', 'building-materials', 'committed', 20, 10, 'D-WALL'],
  ['墙改基金返退审核', 'building-materials', 'committed', 20, 10, 'D-WALL'],
  ['挖掘城市道路审批', 'urban-construction', 'joint', 20, 5, 'D-URBAN'],
  ['占用城市道路审批', 'urban-construction', 'committed', 20, 5, 'D-URBAN'],
  ['城市桥梁上架设管线审批', 'urban-construction', 'committed', 20, 5, 'D-URBAN'],
  ['市政设施建设类审批', 'urban-construction', 'committed', 20, 5, 'D-URBAN'],
  ['城市排水许可证核发', 'urban-construction', 'committed', 20, 7, 'D-URBAN'],
  ['燃气经营许可证核发', 'urban-construction', 'committed', 29, 10, 'D-URBAN'],
  ['户外广告设置审核', 'urban-construction', 'committed', 20, 5, 'D-URBAN'],
  ['建设工程竣工验收备案', 'engineering-construction', 'instant', 15, 0, 'D-QUALITY'],
  ['施工图设计文件审查备案', 'engineering-construction', 'committed', 20, 3, 'D-DESIGN'],
  ['建设工程招标文件备案', 'engineering-construction', 'committed', 5, 1, 'D-TENDER'],
  ['建设工程招标投标情况书面报告备案', 'engineering-construction', 'committed', 15, 3, 'D-TENDER'],
  ['建设工程施工合同备案', 'engineering-construction', 'committed', 10, 2, 'D-MARKET'],
  ['建设工程直接发包审批', 'engineering-construction', 'joint', 20, 5, 'D-TENDER'],
  ['超限高层建筑工程抗震设防审批', 'engineering-construction', 'joint', 20, 8, 'D-DESIGN'],
  ['工程勘察设计企业资质核准', 'survey-design', 'committed', 40, 15, 'D-DESIGN'],
  ['外地勘察设计企业进泉登记', 'survey-design', 'committed', 20, 3, 'D-DESIGN'],
  ['施工图审查机构认定', 'survey-design', 'committed', 20, 10, 'D-DESIGN'],
  ['勘察设计注册人员执业登记', 'survey-design', 'committed', 20, 5, 'D-DESIGN'],
  ['建设项目选址意见审查', 'survey-design', 'joint', 20, 10, 'D-DESIGN'],
  // Instant items with no statutory limit beyond the day itself (registrations and certificates
  // issued on the spot): they have no reduction to report.
  ['建筑业企业资质证书遗失补办', 'enterprise-qualification', 'instant', 0, 0, 'D-MARKET'],
  ['安全生产许可证遗失补办', 'safety-licence', 'instant', 0, 0, 'D-SAFETY'],
  ['岗位证书遗失补办', 'post-certificate', 'instant', 0, 0, 'D-TRAINING'],
  ['建材产品备案证明补发', 'building-materials', 'instant', 0, 0, 'D-MATERIALS'],
  ['施工许可证遗失补办', 'construction-permit', 'instant', 0, 0, 'D-APPROVAL'],
];

/** Items that need the bureau's official seal (source section 一.三); the rest may use 审批专用章. */
const officialSealOnly = new Set([
  '建筑工程施工许可证核发',
  '初级岗位证书核发',
  '监理员岗位证书核发',
  '建筑施工企业安全生产许可证核发',
]);

/** The 8 items handled in their units rather than at the window. */
const notAtWindow = new Set([
  '散装水泥专项资金返退审核',
  '墙改基金返退审核',
  '燃气经营许可证核发',
  '户外广告设置审核',
  '超限高层建筑工程抗震设防审批',
  '施工图审查机构认定',
  '建设项目选址意见审查',
  '城市桥梁上架设管线审批',
]);

/** Window items not handled online (10 of the 46, leaving 36 online). */
const offline = new Set([
  '建筑工程开工报告审批',
  '工程招标代理机构资格认定',
  '施工企业主要负责人安全生产考核合格证书核发',
  '建筑施工特种作业人员操作资格证书核发',
  '新型墙体材料认定',
  '挖掘城市道路审批',
  '城市排水许可证核发',
  '建设工程直接发包审批',
  '勘察设计注册人员执业登记',
  '建材产品备案证明补发',
]);

export const SOURCE_TOTAL_REDUCTION = 935;

const prefixes: Record<Business, string> = {
  'construction-permit': 'SG',
  'enterprise-qualification': 'ZZ',
  'safety-licence': 'AQ',
  'post-certificate': 'GW',
  'building-materials': 'JC',
  'urban-construction': 'CJ',
  'engineering-construction': 'GC',
  'survey-design': 'KC',
};

export function catalogItems() {
  const counters: Record<string, number> = {};
  return rows.map(([name, business, kind, statutoryDays, committedDays, department]) => {
    const n = (counters[business] ?? 0) + 1;
    counters[business] = n;
    const code = `${prefixes[business]}-${String(n).padStart(3, '0')}`;
    return {
      code,
      name,
      business,
      kind,
      statutoryDays,
      committedDays,
      fastTrackDays: kind === 'instant' ? null : Math.max(1, Math.floor(committedDays / 2)),
      online: !notAtWindow.has(name) && !offline.has(name),
      atWindow: !notAtWindow.has(name),
      specialSeal: !officialSealOnly.has(name),
      department,
      materials: materialsFor(name, kind),
    };
  });
}

function materialsFor(itemName: string, kind: Kind) {
  const base = [
    {
      code: 'M1',
      name: `${itemName.replace(/(核发|审批|核准|备案|认定|审核|变更|延期)$/, '')}申请表`,
      primary: true,
    },
    { code: 'M2', name: '申请单位营业执照或统一社会信用代码证书', primary: true },
  ];
  if (kind === 'instant') return base;
  return [
    ...base,
    { code: 'M3', name: '法定代表人身份证明', primary: true },
    { code: 'M4', name: '相关技术文件及图纸', primary: true },
    { code: 'M5', name: '授权委托书', primary: false },
    { code: 'M6', name: '其他补充说明材料', primary: false },
  ];
}
