-- Results of earlier runs move into chunks of 10,000 cases (verification_result_chunks).
INSERT INTO "verification_result_chunks" ("run_id", "first_case", "last_case", "case_nos", "results")
SELECT "run_id", min("case_no"), max("case_no"), array_agg("case_no" ORDER BY "case_no"), array_agg("results" ORDER BY "case_no")
FROM (SELECT "run_id", "case_no", "results",
        (row_number() OVER (PARTITION BY "run_id" ORDER BY "case_no") - 1) / 10000 AS "g"
      FROM "verification_results") q
GROUP BY "run_id", "g";
--> statement-breakpoint
DROP TABLE "verification_results" CASCADE;
