CREATE TABLE "verification_case_findings" (
	"case_no" text NOT NULL,
	"check" text NOT NULL,
	"text_id" text NOT NULL,
	CONSTRAINT "verification_case_findings_case_no_check_pk" PRIMARY KEY("case_no","check")
);
--> statement-breakpoint
CREATE TABLE "verification_case_results" (
	"case_no" text PRIMARY KEY NOT NULL,
	"last_import" integer NOT NULL,
	"scope_ds" date[],
	"results" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_finding_texts" (
	"id" text PRIMARY KEY NOT NULL,
	"case_no" text NOT NULL,
	"check" text NOT NULL,
	"reason" text NOT NULL,
	"params" jsonb NOT NULL,
	"detail" text NOT NULL,
	"detail_en" text NOT NULL,
	"staff" text[] NOT NULL,
	"fault_type" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_result_chunks" (
	"run_id" integer NOT NULL,
	"first_case" text NOT NULL,
	"last_case" text NOT NULL,
	"case_nos" text[] NOT NULL,
	"results" text[] NOT NULL,
	CONSTRAINT "verification_result_chunks_run_id_first_case_pk" PRIMARY KEY("run_id","first_case")
);
--> statement-breakpoint
CREATE TABLE "verification_results_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"import_id" integer NOT NULL,
	"key" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_run_findings" (
	"run_id" integer NOT NULL,
	"case_no" text NOT NULL,
	"check" text NOT NULL,
	"text_id" text NOT NULL,
	CONSTRAINT "verification_run_findings_run_id_case_no_check_pk" PRIMARY KEY("run_id","case_no","check")
);
