/**
 * Pieces the misconduct pages share: the light badge, level labels, guards that understand
 * "every matter" against "one's own", and public-page guards that do not send the public to log in.
 */
import { subject } from '@casl/ability';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../platform/http.ts';
import type { Action, Subject } from '../../platform/roles.ts';
import type { Column } from '../../web/components.tsx';
import { forbiddenPage, loginRedirect } from '../../web/guard.tsx';
import type { View } from '../../web/render.tsx';
import type { Light } from '../deadlines.ts';
import { levelName, type MisconductPolicy } from '../policy.ts';
import { type M, pageText } from './strings.ts';

const lightClass: Record<Light, string> = {
  green: 'badge badge-soft badge-kind-instant',
  yellow: 'badge badge-soft badge-warn',
  red: 'badge badge-soft badge-key',
  none: 'badge badge-soft',
};

export function LightBadge({ m, light }: { m: M; light: Light }) {
  return (
    <span class={lightClass[light]} data-light={light}>
      {m(`lights.${light}`)}
    </span>
  );
}

/** 3 -> "3级 诫勉教育"; exempt and 0 by name. */
export function levelLabel(
  m: M,
  policy: MisconductPolicy,
  v: View,
  level: number | 'exempt' | null | undefined,
) {
  if (level === null || level === undefined) return '—';
  if (level === 'exempt') return m('detail.exempt');
  if (level === 0) return m('detail.levelNone');
  const name = levelName(policy, level, v.locale);
  return v.locale === 'en' ? `Level ${level}: ${name}` : `${level}级 ${name}`;
}

/** A fault type's name in the page's language (its code when the policy no longer has it). */
export const faultName = (policy: MisconductPolicy, code: string, v: View) =>
  policy.faultTypes.find((f) => f.code === code)?.name[v.locale] ?? code;

/**
 * The columns every list of matters opens with (the register, the decision queue, a clerk's own
 * record), so the lists name and link a matter the same way.
 *
 * @example
 * const col = matterColumns(m, policy, v);
 * <Grid rows={rows} columns={[col.id, col.state, col.light, col.fault, ...]} />
 */
export function matterColumns<T extends { id: number; faultType: string | null }>(
  m: M,
  policy: MisconductPolicy,
  v: View,
) {
  type Listed = T & { state: string; light: Light };
  return {
    id: { head: m('list.id'), cell: (r) => <a href={`/misconduct/${r.id}`}>{r.id}</a> } satisfies Column<T>,
    state: { head: m('list.state'), cell: (r) => m(`states.${r.state}`) } satisfies Column<Listed>,
    light: {
      head: m('list.light'),
      cell: (r) => <LightBadge m={m} light={r.light} />,
    } satisfies Column<Listed>,
    fault: {
      head: m('list.fault'),
      cell: (r) => (r.faultType ? faultName(policy, r.faultType, v) : '—'),
    } satisfies Column<T>,
  };
}

/** May this principal act on every matter (not only their own)? */
export const unconditional = (c: Context<AppEnv>, action: Action) =>
  c
    .get('principal')
    .ability.can(action, subject('Misconduct', { staff: '\u0000nobody', decided: true }) as any);

/** A page for those who may act on every matter: login for the public, 403 for the rest. */
export function allMattersGuard(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    if (p.kind === 'public') return loginRedirect(c);
    if (!unconditional(c, action)) return forbiddenPage(c);
    await next();
  };
}

/** A public page: open to whoever holds the permission, the public included (no login redirect). */
export function publicGuard(action: Action, subj: Subject): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('principal').ability.can(action, subj)) return forbiddenPage(c);
    await next();
  };
}

/** The page's language before a View exists (renderPage builds its own). */
export function localeOf(c: Context<AppEnv>): 'zh-CN' | 'en' {
  const p = c.get('principal');
  if (p.kind === 'user' && (p.locale === 'en' || p.locale === 'zh-CN')) return p.locale;
  const cookie = /(?:^|;\s*)nk_locale=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
  return cookie === 'en' ? 'en' : 'zh-CN';
}

/** The misconduct strings in the request's language, for titles (renderPage's View comes later). */
export const textFor = (c: Context<AppEnv>): M => pageText({ locale: localeOf(c), t: (k) => k });
