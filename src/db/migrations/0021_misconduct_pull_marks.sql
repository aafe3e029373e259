CREATE TABLE "misconduct_pull_marks" (
	"source" text PRIMARY KEY NOT NULL,
	"up_to" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
