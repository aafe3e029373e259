CREATE TABLE "verification_referrals" (
	"ref" text PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"case_no" text NOT NULL,
	"check" text NOT NULL,
	"matter_id" integer,
	"referred_by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "verification_referrals_run_idx" ON "verification_referrals" USING btree ("run_id");