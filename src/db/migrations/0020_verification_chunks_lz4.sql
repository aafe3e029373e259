-- A run's result chunks (10,000 cases' arrays each, written once and read whole) are compressed
-- with lz4 where the server has it: pglz took ~3.6 ms a chunk to compress, lz4 ~0.5 ms, which is
-- a tenth of a run copied from the results cache. Servers built without lz4 (PGlite) keep pglz.
DO $$
BEGIN
  ALTER TABLE "verification_result_chunks" ALTER COLUMN "case_nos" SET COMPRESSION lz4;
  ALTER TABLE "verification_result_chunks" ALTER COLUMN "results" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END $$;
