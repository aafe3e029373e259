/**
 * `neikong misconduct …`: the jobs of the tracker, for cron or an operator (JSON on stdout).
 *
 * @example
 * neikong misconduct pull [--since 2026-01-01]   # red cards and actions outside authority -> matters
 * neikong misconduct close                        # close matters whose appeal period has passed
 * neikong misconduct erase                        # erase complainants' data after the policy period
 */
import { parseArgs } from 'node:util';
import type { Deps } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { type Ctx, systemWho } from './common.ts';
import { misconductPolicy } from './policy.ts';
import { eraseExpiredComplainants } from './privacy.ts';
import { pullReferrals } from './referrals.ts';
import { closeExpired } from './workflow.ts';

export const misconductUsage = `  neikong misconduct pull [--since DATE]   register matters for red cards and actions outside authority
  neikong misconduct close           close matters whose appeal period has passed
  neikong misconduct erase           erase complainants' personal data after the policy period
`;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

const ctxOf = (deps: Deps): Ctx => ({
  who: systemWho('cli'),
  today: localDate(new Date(), deps.config.timeZone),
  policy: misconductPolicy(),
  publicUrl: deps.config.publicUrl,
});

export const misconductCommands: Record<string, (deps: Deps, args: string[]) => Promise<number>> = {
  'misconduct pull': async (deps, args) => {
    const { values } = parseArgs({ args, options: { since: { type: 'string' } } });
    const ctx = ctxOf(deps);
    print(await pullReferrals(deps.db, { since: values.since, today: ctx.today, actor: 'cli' }));
    return 0;
  },
  'misconduct close': async (deps) => {
    print({ closed: await closeExpired(deps.db, ctxOf(deps)) });
    return 0;
  },
  'misconduct erase': async (deps) => {
    print({ erased: await eraseExpiredComplainants(deps.db, ctxOf(deps)) });
    return 0;
  },
};
