CREATE TABLE "case_alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_no" text NOT NULL,
	"kind" text NOT NULL,
	"staff_no" text,
	"committed_due" date,
	"raised_at" timestamp with time zone NOT NULL,
	"raised_on" date NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"case_no" text NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"data" jsonb NOT NULL,
	"anomalies" text[] DEFAULT '{}'::text[] NOT NULL,
	"allowed" boolean,
	"via" text,
	"post" text,
	"acting_for" text,
	"rule" jsonb,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"policy_version" text,
	"import_id" integer NOT NULL,
	CONSTRAINT "case_events_case_no_seq_pk" PRIMARY KEY("case_no","seq")
);
--> statement-breakpoint
CREATE TABLE "case_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"idempotency_key" text,
	"body_sha256" text NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"lines" bigint NOT NULL,
	"result" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_imports_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "case_state" (
	"case_no" text PRIMARY KEY NOT NULL,
	"item_code" text NOT NULL,
	"business" text NOT NULL,
	"route" text NOT NULL,
	"channel" text NOT NULL,
	"state" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"received_on" date NOT NULL,
	"accepted_on" date,
	"acceptance" text NOT NULL,
	"deemed_from" date,
	"committed_days" integer NOT NULL,
	"statutory_days" integer NOT NULL,
	"committed_due" date,
	"statutory_due" date,
	"stopped_days" integer DEFAULT 0 NOT NULL,
	"extension_days" integer DEFAULT 0 NOT NULL,
	"clock_stopped_since" date,
	"yellow_from" date,
	"red_from" date,
	"red_card_from" date,
	"completed_at" timestamp with time zone,
	"completed_on" date,
	"result" text,
	"working_days_used" integer,
	"overdue" boolean,
	"statutory_overdue" boolean,
	"calendar_missing" boolean DEFAULT false NOT NULL,
	"responsible" text,
	"actors" text[] NOT NULL,
	"anomalies" text[] DEFAULT '{}'::text[] NOT NULL,
	"anomaly_count" integer DEFAULT 0 NOT NULL,
	"denied_count" integer DEFAULT 0 NOT NULL,
	"departments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"last_event_at" timestamp with time zone,
	"computed_with" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"case_no" text PRIMARY KEY NOT NULL,
	"item_code" text NOT NULL,
	"route" text NOT NULL,
	"channel" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"applicant_kind" text NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id" text NOT NULL,
	"project" jsonb,
	"import_id" integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "case_alerts_open_uq" ON "case_alerts" USING btree ("case_no","kind") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "case_alerts_staff_idx" ON "case_alerts" USING btree ("staff_no","raised_at");--> statement-breakpoint
CREATE INDEX "case_alerts_raised_idx" ON "case_alerts" USING btree ("raised_at");--> statement-breakpoint
CREATE INDEX "case_events_actor_at_idx" ON "case_events" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "case_state_received_idx" ON "case_state" USING btree ("received_at","case_no");--> statement-breakpoint
CREATE INDEX "case_state_state_idx" ON "case_state" USING btree ("state","received_at","case_no");--> statement-breakpoint
CREATE INDEX "case_state_item_idx" ON "case_state" USING btree ("item_code","received_at","case_no");--> statement-breakpoint
CREATE INDEX "case_state_business_idx" ON "case_state" USING btree ("business","received_at","case_no");--> statement-breakpoint
CREATE INDEX "case_state_responsible_idx" ON "case_state" USING btree ("responsible","received_at","case_no");--> statement-breakpoint
CREATE INDEX "case_state_completed_idx" ON "case_state" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "case_state_actors_idx" ON "case_state" USING gin ("actors");--> statement-breakpoint
CREATE INDEX "case_state_open_due_idx" ON "case_state" USING btree ("committed_due","case_no") WHERE completed_at is null;--> statement-breakpoint
CREATE INDEX "case_state_open_red_idx" ON "case_state" USING btree ("red_from") WHERE completed_at is null;--> statement-breakpoint
CREATE INDEX "case_state_open_yellow_idx" ON "case_state" USING btree ("yellow_from") WHERE completed_at is null;--> statement-breakpoint
CREATE INDEX "case_state_red_card_idx" ON "case_state" USING btree ("red_card_from") WHERE completed_at is null;