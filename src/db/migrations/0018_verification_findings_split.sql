-- Results of earlier runs move into chunks of up to 10,000 cases (verification_result_chunks).
INSERT INTO "verification_result_chunks" ("run_id", "first_case", "last_case", "case_nos", "results")
SELECT "run_id", min("case_no"), max("case_no"), array_agg("case_no" ORDER BY "case_no"), array_agg("results" ORDER BY "case_no")
FROM (SELECT "run_id", "case_no", "results",
        (row_number() OVER (PARTITION BY "run_id" ORDER BY "case_no") - 1) / 10000 AS "g"
      FROM "verification_results") q
GROUP BY "run_id", "g";
--> statement-breakpoint
-- Findings of earlier runs: what each says once (its id as src/verification/store.ts computes
-- it), and a link per run.
INSERT INTO "verification_finding_texts" ("id", "case_no", "check", "reason", "params", "detail", "detail_en", "staff", "fault_type")
SELECT DISTINCT ON ("id") * FROM (
  SELECT encode(sha256(convert_to(jsonb_build_array(f."case_no", f."check", f."reason", f."params", f."detail",
      f."detail_en", f."staff", f."fault_type")::text, 'UTF8')), 'hex') AS "id",
    f."case_no", f."check", f."reason", f."params", f."detail", f."detail_en", f."staff", f."fault_type"
  FROM "verification_findings" f) q;
--> statement-breakpoint
INSERT INTO "verification_run_findings" ("run_id", "case_no", "check", "text_id")
SELECT f."run_id", f."case_no", f."check", encode(sha256(convert_to(jsonb_build_array(f."case_no", f."check",
    f."reason", f."params", f."detail", f."detail_en", f."staff", f."fault_type")::text, 'UTF8')), 'hex')
FROM "verification_findings" f;
--> statement-breakpoint
DROP TABLE "verification_findings" CASCADE;
--> statement-breakpoint
DROP TABLE "verification_results" CASCADE;
--> statement-breakpoint
-- What readers of a run's findings see: the links with their texts.
CREATE VIEW "verification_findings" AS
SELECT l."run_id", l."case_no", l."check", t."reason", t."params", t."detail", t."detail_en", t."staff", t."fault_type"
FROM "verification_run_findings" l JOIN "verification_finding_texts" t ON t."id" = l."text_id";
