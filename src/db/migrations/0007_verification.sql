CREATE TABLE "verification_findings" (
	"run_id" integer NOT NULL,
	"case_no" text NOT NULL,
	"check" text NOT NULL,
	"reason" text NOT NULL,
	"params" jsonb NOT NULL,
	"detail" text NOT NULL,
	"detail_en" text NOT NULL,
	"staff" text[] NOT NULL,
	"fault_type" text NOT NULL,
	CONSTRAINT "verification_findings_run_id_case_no_check_pk" PRIMARY KEY("run_id","case_no","check")
);
--> statement-breakpoint
CREATE TABLE "verification_results" (
	"run_id" integer NOT NULL,
	"case_no" text NOT NULL,
	"results" text NOT NULL,
	CONSTRAINT "verification_results_run_id_case_no_pk" PRIMARY KEY("run_id","case_no")
);
--> statement-breakpoint
CREATE TABLE "verification_rulings" (
	"number" text PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"case_no" text NOT NULL,
	"locale" text NOT NULL,
	"sha256" text NOT NULL,
	"failures" integer NOT NULL,
	"inspector" text NOT NULL,
	"issued_by" text NOT NULL,
	"issued_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_run_status" (
	"run_id" integer PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"phase" text,
	"done" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"cases" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"failed_cases" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"period_from" date,
	"period_to" date,
	"case_nos" text[],
	"as_of" timestamp with time zone NOT NULL,
	"checks" text[] NOT NULL,
	"policy" jsonb NOT NULL,
	"policy_version" text NOT NULL,
	"calendar_version" text NOT NULL,
	"authority_version" text,
	"ledger_import_id" integer NOT NULL,
	"time_zone" text NOT NULL,
	"started_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "verification_findings_check_idx" ON "verification_findings" USING btree ("run_id","check","case_no");--> statement-breakpoint
CREATE INDEX "verification_findings_staff_idx" ON "verification_findings" USING gin ("staff");--> statement-breakpoint
CREATE INDEX "verification_findings_case_idx" ON "verification_findings" USING btree ("case_no","check");--> statement-breakpoint
CREATE UNIQUE INDEX "verification_rulings_case_uq" ON "verification_rulings" USING btree ("run_id","case_no","locale");--> statement-breakpoint
CREATE INDEX "verification_rulings_case_idx" ON "verification_rulings" USING btree ("case_no");