/**
 * The background work of a running server, on timers (unref'd, so they never keep the process
 * alive): red cards for cases red past their follow-up period, referrals of red cards and
 * unauthorised actions into misconduct matters, verification's per-case facts and today's results
 * brought up to the ledger's last import, and the four reports (which catch up on start).
 * Each job runs once at start-up and then every interval; a failure is logged and retried on
 * the next tick, never fatal.
 */
import { raiseRedCards } from './cases/index.ts';
import { pullReferrals } from './misconduct/referrals.ts';
import type { Deps } from './platform/http.ts';
import { startReportTimer } from './reports/schedule.ts';
import { refreshCaseFacts, refreshPresentResults } from './verification/index.ts';

const EVERY_MS = 15 * 60_000;

export function startJobs(deps: Deps) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await raiseRedCards(deps.db, new Date(), { timeZone: deps.config.timeZone, actor: 'system:red-cards' });
      await pullReferrals(deps.db);
    } catch (err) {
      console.error(`[${new Date().toISOString()}] background job failed:`, err);
    }
    try {
      // Verification's per-case facts and today's results, so that the next run need not catch
      // up on new imports, nor evaluate the cases a run of today can copy.
      await refreshCaseFacts(deps.db, { timeZone: deps.config.timeZone });
      await refreshPresentResults(deps.db, { timeZone: deps.config.timeZone });
    } catch (err) {
      console.error(`[${new Date().toISOString()}] verification facts or results cache refresh failed:`, err);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  const reports = startReportTimer(deps);
  return {
    stop() {
      clearInterval(timer);
      reports.stop();
    },
  };
}
