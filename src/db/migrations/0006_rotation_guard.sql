-- Rotation plans are records: their content never changes, they are never deleted, and their state
-- only moves forward (draft -> approved -> applied -> archived; draft or approved -> archived).
CREATE OR REPLACE FUNCTION neikong_rotation_plan_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'neikong: rotation plans are kept (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.number IS DISTINCT FROM OLD.number
    OR NEW.plan_date IS DISTINCT FROM OLD.plan_date OR NEW.rounds IS DISTINCT FROM OLD.rounds
    OR NEW.params IS DISTINCT FROM OLD.params OR NEW.policy IS DISTINCT FROM OLD.policy
    OR NEW.result IS DISTINCT FROM OLD.result OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
    OR NEW.basis_hash IS DISTINCT FROM OLD.basis_hash OR NEW.created_by IS DISTINCT FROM OLD.created_by
    OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'neikong: the content of rotation plan % never changes', OLD.number USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.state IS NOT DISTINCT FROM OLD.state THEN
    RAISE EXCEPTION 'neikong: rotation plan % changes only by a change of state', OLD.number USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT ((OLD.state = 'draft' AND NEW.state IN ('approved', 'archived'))
    OR (OLD.state = 'approved' AND NEW.state IN ('applied', 'archived'))
    OR (OLD.state = 'applied' AND NEW.state = 'archived')) THEN
    RAISE EXCEPTION 'neikong: rotation plan % cannot go from % to %', OLD.number, OLD.state, NEW.state USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (OLD.approved_by IS NOT NULL AND (NEW.approved_by IS DISTINCT FROM OLD.approved_by OR NEW.approved_at IS DISTINCT FROM OLD.approved_at))
    OR (OLD.applied_by IS NOT NULL AND (NEW.applied_by IS DISTINCT FROM OLD.applied_by OR NEW.applied_at IS DISTINCT FROM OLD.applied_at))
    OR (OLD.archived_by IS NOT NULL AND (NEW.archived_by IS DISTINCT FROM OLD.archived_by OR NEW.archived_at IS DISTINCT FROM OLD.archived_at)) THEN
    RAISE EXCEPTION 'neikong: who approved, applied or archived rotation plan % stays recorded', OLD.number USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS rotation_plans_guard ON rotation_plans;
--> statement-breakpoint
CREATE TRIGGER rotation_plans_guard BEFORE UPDATE OR DELETE ON rotation_plans FOR EACH ROW EXECUTE FUNCTION neikong_rotation_plan_guard();
--> statement-breakpoint
DROP TRIGGER IF EXISTS rotation_plans_no_truncate ON rotation_plans;
--> statement-breakpoint
CREATE TRIGGER rotation_plans_no_truncate BEFORE TRUNCATE ON rotation_plans FOR EACH STATEMENT EXECUTE FUNCTION neikong_rotation_plan_guard();
