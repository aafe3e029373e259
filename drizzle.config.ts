import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema of every module (src/db/schema.ts) and committed;
// the app applies them on start, on PGlite and on PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
