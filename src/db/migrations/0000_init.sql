CREATE TABLE "absences" (
	"id" serial PRIMARY KEY NOT NULL,
	"staff_no" text NOT NULL,
	"from" date NOT NULL,
	"to" date NOT NULL,
	"reason" text DEFAULT 'leave' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"inactive_from" date
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"staff_no" text NOT NULL,
	"post" text NOT NULL,
	"role" text NOT NULL,
	"from" date NOT NULL,
	"to" date,
	"active" boolean DEFAULT true NOT NULL,
	"inactive_from" date
);
--> statement-breakpoint
CREATE TABLE "bureau" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"head" text
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"inactive_from" date
);
--> statement-breakpoint
CREATE TABLE "items" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"business" text NOT NULL,
	"kind" text NOT NULL,
	"statutory_days" integer NOT NULL,
	"committed_days" integer NOT NULL,
	"fast_track_days" integer,
	"online" boolean DEFAULT false NOT NULL,
	"at_window" boolean DEFAULT true NOT NULL,
	"special_seal" boolean DEFAULT true NOT NULL,
	"department" text,
	"materials" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"inactive_from" date
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"window" text NOT NULL,
	"key" boolean DEFAULT false NOT NULL,
	"businesses" text[] DEFAULT '{}' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"inactive_from" date
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"no" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" text NOT NULL,
	"hired_on" date,
	"competencies" text[] DEFAULT '{}' NOT NULL,
	"conflicts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"inactive_from" date
);
--> statement-breakpoint
CREATE TABLE "windows" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"inactive_from" date
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" text NOT NULL,
	"status" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"staff_no" text,
	"password_hash" text NOT NULL,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"last_failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "absences_identity_uq" ON "absences" USING btree ("staff_no","from");--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_identity_uq" ON "assignments" USING btree ("staff_no","post","role","from");--> statement-breakpoint
CREATE INDEX "assignments_post_idx" ON "assignments" USING btree ("post");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_name_idx" ON "api_tokens" USING btree ("name");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_name_uq" ON "users" USING btree ("name");