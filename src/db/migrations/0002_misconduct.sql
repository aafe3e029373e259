CREATE TABLE "misconduct_appeals" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"staff_no" text NOT NULL,
	"grounds" text NOT NULL,
	"filed_on" date NOT NULL,
	"filed_by" text NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"new_level" integer,
	"new_exempt" boolean DEFAULT false NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_on" date
);
--> statement-breakpoint
CREATE TABLE "misconduct_complainants" (
	"matter_id" integer PRIMARY KEY NOT NULL,
	"anonymous" boolean NOT NULL,
	"name" text,
	"phone" text,
	"email" text,
	"staff_no" text,
	"erased_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "misconduct_effects" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"staff_no" text NOT NULL,
	"kind" text NOT NULL,
	"level" integer,
	"year" integer,
	"from_on" date NOT NULL,
	"ended_on" date,
	"ended_reason" text,
	"active" boolean DEFAULT true NOT NULL,
	"ref" text
);
--> statement-breakpoint
CREATE TABLE "misconduct_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "misconduct_matters" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"facts" text NOT NULL,
	"fault_type" text,
	"cases" text[] DEFAULT '{}'::text[] NOT NULL,
	"staff" text[] DEFAULT '{}'::text[] NOT NULL,
	"concerned_hint" text,
	"state" text NOT NULL,
	"stage_since" date NOT NULL,
	"due_on" date,
	"received_on" date NOT NULL,
	"tracking_hash" text,
	"inspector" text,
	"inspector_staff" text,
	"proposal" jsonb,
	"decided_by" text,
	"decided_by_staff" text,
	"decided_on" date,
	"decision_note" text,
	"notified_on" date,
	"appeal_until" date,
	"closed_on" date,
	"public_reply" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "misconduct_notes" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"author" text NOT NULL,
	"text" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "misconduct_persons" (
	"matter_id" integer NOT NULL,
	"staff_no" text NOT NULL,
	"responsibility" text DEFAULT 'handler' NOT NULL,
	"computed_level" integer,
	"computed_exempt" boolean DEFAULT false NOT NULL,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"proposed_level" integer,
	"proposed_exempt" boolean DEFAULT false NOT NULL,
	"departure_reason" text,
	"decided_level" integer,
	"decided_exempt" boolean DEFAULT false NOT NULL,
	"decision_reason" text,
	"final_level" integer,
	"final_exempt" boolean DEFAULT false NOT NULL,
	"document_number" text,
	CONSTRAINT "misconduct_persons_matter_id_staff_no_pk" PRIMARY KEY("matter_id","staff_no")
);
--> statement-breakpoint
CREATE TABLE "misconduct_transitions" (
	"id" serial PRIMARY KEY NOT NULL,
	"matter_id" integer NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor" text NOT NULL,
	"on" date NOT NULL,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "misconduct_appeals_person_uq" ON "misconduct_appeals" USING btree ("matter_id","staff_no");--> statement-breakpoint
CREATE INDEX "misconduct_effects_staff_idx" ON "misconduct_effects" USING btree ("staff_no","kind");--> statement-breakpoint
CREATE INDEX "misconduct_effects_matter_idx" ON "misconduct_effects" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "misconduct_evidence_matter_idx" ON "misconduct_evidence" USING btree ("matter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "misconduct_matters_source_uq" ON "misconduct_matters" USING btree ("source","source_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "misconduct_matters_tracking_uq" ON "misconduct_matters" USING btree ("tracking_hash");--> statement-breakpoint
CREATE INDEX "misconduct_matters_state_idx" ON "misconduct_matters" USING btree ("state");--> statement-breakpoint
CREATE INDEX "misconduct_matters_staff_idx" ON "misconduct_matters" USING gin ("staff");--> statement-breakpoint
CREATE INDEX "misconduct_notes_matter_idx" ON "misconduct_notes" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "misconduct_persons_staff_idx" ON "misconduct_persons" USING btree ("staff_no");--> statement-breakpoint
CREATE INDEX "misconduct_transitions_matter_idx" ON "misconduct_transitions" USING btree ("matter_id");