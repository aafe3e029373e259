/**
 * rotation (不定期轮岗): the duty-rotation planner. What other modules and tools use:
 *
 * - `solveAssignment(cost)`: the exact assignment solver (Jonker-Volgenant), a pure function.
 * - `planRotation(input)`: the planner on plain data (no database).
 * - the service verbs for plans in the database, and the routes.
 *
 * @example
 * import { solveAssignment } from './rotation/index.ts';
 * solveAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]) // { assignment: [1, 0, 2], total: 5, feasible: true }
 */
export {
  type AssignmentResult,
  type CostMatrix,
  solveAssignment,
  solveAssignmentWithDuals,
} from './assignment.ts';
export { assignmentModel, csrRows, type LinearModel, type SolveResult, solveLinear } from './highs.ts';
export { plannerData } from './input.ts';
export { rotationPages } from './pages.tsx';
export { planRotation } from './planner.ts';
export { loadRotationPolicy, type RotationPolicy } from './policy.ts';
export { rotationRoutes } from './routes.ts';
export {
  applyPlan,
  approvePlan,
  archivePlan,
  computePlan,
  draftPlan,
  getPlan,
  listPlans,
  type PlanParams,
  type PlanRecord,
  rotationOverview,
} from './service.ts';
export type * from './types.ts';
