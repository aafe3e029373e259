CREATE TABLE "authority_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"staff_no" text NOT NULL,
	"action" text NOT NULL,
	"item" text NOT NULL,
	"case_no" text,
	"allowed" boolean NOT NULL,
	"via" text,
	"post" text,
	"acting_for" text,
	"rule" jsonb,
	"reasons" jsonb NOT NULL,
	"policy_version" text NOT NULL,
	"asked_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authority_policy_activations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authority_policy_versions" (
	"hash" text PRIMARY KEY NOT NULL,
	"files" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authority_suspension_lifts" (
	"suspension_id" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authority_suspensions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"staff_no" text NOT NULL,
	"from" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"ref" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "authority_decisions_staff_idx" ON "authority_decisions" USING btree ("staff_no","at");--> statement-breakpoint
CREATE INDEX "authority_decisions_case_idx" ON "authority_decisions" USING btree ("case_no");--> statement-breakpoint
CREATE INDEX "authority_suspensions_staff_idx" ON "authority_suspensions" USING btree ("staff_no");