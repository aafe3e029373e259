/**
 * A token bucket per client for the public complaint form: `burst` requests at once, then one
 * more every `refillSeconds`. In memory: one process's view, which is enough to stop a script
 * flooding the form; behind several processes each keeps its own buckets.
 *
 * The client key is the socket's address. `X-Forwarded-For` is trusted only when the deployment
 * says a proxy sets it (`configureClientKey({ trustProxy: true })`): otherwise anyone could pick
 * a fresh key per request. Tests (app.request(), no socket) inject their own key function.
 *
 * @example
 * const limiter = new TokenBuckets({ burst: 5, refillSeconds: 600 });
 * app.post('/api/complaints', rateLimit(limiter), handler); // the 6th post in a burst gets 429
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http.ts';

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly opts: { burst: number; refillSeconds: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `key`; returns 0 when allowed, else the seconds until the next token. */
  take(key: string): number {
    const t = this.now();
    const rate = 1000 * this.opts.refillSeconds;
    const b = this.buckets.get(key) ?? { tokens: this.opts.burst, at: t };
    const tokens = Math.min(this.opts.burst, b.tokens + (t - b.at) / rate);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: t });
      return Math.ceil(((1 - tokens) * rate) / 1000);
    }
    this.buckets.delete(key); // re-insert: the Map's order is least recently used first
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    const max = this.opts.maxKeys ?? 100_000;
    if (this.buckets.size > max) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }

  reset() {
    this.buckets.clear();
  }
}

export type ClientKey = (c: Context<AppEnv>) => string;

const options: { trustProxy: boolean; keyOf?: ClientKey } = { trustProxy: false };

/** Says whether a proxy's X-Forwarded-For is to be trusted, or replaces the key function. */
export function configureClientKey(opts: { trustProxy?: boolean; keyOf?: ClientKey | null }) {
  if (opts.trustProxy !== undefined) options.trustProxy = opts.trustProxy;
  if (opts.keyOf !== undefined) options.keyOf = opts.keyOf ?? undefined;
}

/** The client's key: injected function, else (trusted) X-Forwarded-For, else the socket address. */
export function clientKey(c: Context<AppEnv>): string {
  if (options.keyOf) return options.keyOf(c);
  if (options.trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // no socket (app.request in tests)
  }
}

/** Refuses with 429 and Retry-After once the client's bucket is empty. */
export function rateLimit(limiter: () => TokenBuckets): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const wait = limiter().take(clientKey(c));
    if (wait > 0) {
      c.header('retry-after', String(wait));
      throw new AppError('RATE_LIMITED', `too many requests; try again in ${wait} seconds`);
    }
    await next();
  };
}
