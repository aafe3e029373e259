/**
 * Starts neikong: opens the database (embedded PGlite in DATA_DIR unless DATABASE_URL is set),
 * applies migrations, loads the demo bureau into an empty database, and serves HTTP.
 */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { loadDemoCases } from './demo/cases.ts';
import { isEmpty, loadDemo } from './demo/index.ts';
import { startJobs } from './jobs.ts';
import { loadDemoMatters } from './misconduct/demo.ts';
import { configureClientKey } from './misconduct/rate-limit.ts';
import { PolicyError } from './platform/policy-file.ts';
import { localDate } from './platform/time.ts';
import { openRuntime } from './runtime.ts';

const DEMO_START_CASES = 2000;

async function main() {
  const config = loadConfig();
  const deps = await openRuntime(config);
  if (await isEmpty(deps.db)) {
    const demo = await loadDemo(deps.db, { today: localDate(new Date(), config.timeZone) });
    console.log(
      'Empty database: loaded the demo bureau (泉州市建设局). Demo accounts, password',
      demo.password,
    );
    for (const a of demo.accounts)
      console.log(`  ${a.name.padEnd(10)} ${a.role}${a.staffNo ? ` (staff ${a.staffNo})` : ''}`);
    // A year of cases with planted faults, and misconduct matters at each stage, so every page has
    // something true to show. Larger ledgers: `npx neikong demo --cases N` on a stopped server.
    console.log(`Generating a year of demo cases (${DEMO_START_CASES}) ...`);
    const cases = await loadDemoCases(deps.database, {
      seed: 1,
      cases: DEMO_START_CASES,
      timeZone: config.timeZone,
    });
    console.log(`  ${DEMO_START_CASES} cases, ${cases.faults.length} planted faults`);
    const today = localDate(new Date(), config.timeZone);
    const matters = await loadDemoMatters(deps.db, { today, publicUrl: config.publicUrl });
    if (matters.trackingCode) console.log(`  demo complaint tracking code: ${matters.trackingCode}`);
  }
  configureClientKey({ trustProxy: config.trustProxy });
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const db = deps.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
    console.log(
      `neikong is running at http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${info.port}/ (${db})`,
    );
  });
  const jobs = startJobs(deps);
  const stop = async () => {
    jobs.stop();
    // Keep-alive connections would otherwise go on being served while the database closes.
    server.close();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await deps.database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof PolicyError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
