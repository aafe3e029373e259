CREATE TABLE "rotation_plan_moves" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"round" integer NOT NULL,
	"effective_date" date NOT NULL,
	"staff_no" text NOT NULL,
	"from_post" text,
	"from_role" text,
	"to_post" text,
	"to_role" text,
	"required" boolean NOT NULL,
	"reasons" jsonb NOT NULL,
	"training" jsonb
);
--> statement-breakpoint
CREATE TABLE "rotation_plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"plan_date" date NOT NULL,
	"rounds" integer NOT NULL,
	"params" jsonb NOT NULL,
	"policy" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"basis_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"applied_by" text,
	"applied_at" timestamp with time zone,
	"archived_by" text,
	"archived_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "rotation_plan_moves_uq" ON "rotation_plan_moves" USING btree ("plan_id","seq");--> statement-breakpoint
CREATE INDEX "rotation_plan_moves_staff_idx" ON "rotation_plan_moves" USING btree ("staff_no");--> statement-breakpoint
CREATE UNIQUE INDEX "rotation_plans_number_uq" ON "rotation_plans" USING btree ("number");--> statement-breakpoint
CREATE INDEX "rotation_plans_state_idx" ON "rotation_plans" USING btree ("state");