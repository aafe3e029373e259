CREATE TABLE "document_counters" (
	"prefix" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "document_counters_prefix_year_pk" PRIMARY KEY("prefix","year")
);
--> statement-breakpoint
CREATE TABLE "issued_documents" (
	"number" text PRIMARY KEY NOT NULL,
	"prefix" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"ref" text,
	"title" text NOT NULL,
	"sha256" text NOT NULL,
	"pdf" "bytea",
	"size" integer,
	"issued_on" date NOT NULL,
	"issued_by" text NOT NULL,
	"superseded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "issued_documents_ref_idx" ON "issued_documents" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "issued_documents_sha_idx" ON "issued_documents" USING btree ("sha256");