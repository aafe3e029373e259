CREATE TABLE "report_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"period" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"version" integer NOT NULL,
	"locale" text NOT NULL,
	"numbers" jsonb NOT NULL,
	"numbers_sha256" text NOT NULL,
	"changes" jsonb,
	"html" text NOT NULL,
	"html_sha256" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"trigger" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "report_versions_uq" ON "report_versions" USING btree ("kind","period","version","locale");--> statement-breakpoint
CREATE INDEX "report_versions_kind_idx" ON "report_versions" USING btree ("kind","period_from");--> statement-breakpoint
CREATE INDEX "report_versions_created_idx" ON "report_versions" USING btree ("created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "report_versions_public_idx" ON "report_versions" USING btree ("period") WHERE kind = 'quarterly';