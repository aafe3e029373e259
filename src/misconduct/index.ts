/**
 * The misconduct tracker (失职追究制, 6个等级的处理意见): complaints, reports, irregular approvals
 * and derelictions, graded across the policy's levels, decided by a leader (four eyes), with
 * decision documents and effects on authority, rotation and 评优评先. Other modules use what is
 * exported here.
 *
 * @example
 * import { grade, isBarredFromMerit, listMustMove, pullReferrals, registerMatter } from '../misconduct/index.ts';
 * await listMustMove(db, '2026-04-01');          // the rotation planner's must-move list
 * await isBarredFromMerit(db, 'S007', 2026);      // 当年不予评优评先
 * await pullReferrals(db);                        // red cards, actions outside authority -> matters
 */
export { actorString, type Ctx, misconductClock, systemWho, type Who } from './common.ts';
export { type Light, stageDue, stageLight } from './deadlines.ts';
export { APPEAL_KIND, buildDecisionDocument, DECISION_KIND } from './decision-doc.ts';
export { loadDemoMatters } from './demo.ts';
export { effectsOverview, isBarredFromMerit, listMustMove, type MustMove } from './effects.ts';
export { addEvidence, listEvidence, sniffMediaType } from './evidence.ts';
export { addMonths, GradeError, type GradeInput, type GradeLine, type GradeResult, grade } from './grade.ts';
export {
  bureauToday,
  type ComplaintStatus,
  complaintStatus,
  fileComplaint,
  type RegisterMatterInput,
  type RegisterResult,
  registerMatter,
} from './intake.ts';
export {
  effectsOf,
  levelName,
  loadMisconductPolicy,
  type MisconductPolicy,
  misconductPolicy,
} from './policy.ts';
export { complainantOf, eraseExpiredComplainants, maySeeComplainant } from './privacy.ts';
export { type PullResult, pullReferrals, referFailure } from './referrals.ts';
export { misconductStats } from './stats.ts';
export { newTrackingCode, normalizeTrackingCode, trackingHash } from './tracking.ts';
export { decisionQueue, listMatters, matterDetail, overdueMatters, ownMatters } from './views.ts';
export {
  addNote,
  assignMatter,
  closeExpired,
  closeMatter,
  decideAppeal,
  decideMatter,
  fileAppeal,
  notifyMatter,
  previewGrades,
  proposeMatter,
  returnProposal,
  startInvestigation,
  updateMatter,
} from './workflow.ts';
