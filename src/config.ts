/**
 * The environment, parsed once. Everything else imports `loadConfig()`'s result instead of
 * reading `process.env`, so a wrong value stops start-up with a message naming the variable.
 *
 * @example
 * const config = loadConfig(); // throws ConfigError naming e.g. PORT when it is "abc"
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export class ConfigError extends Error {}

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone' },
);

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  BUREAU_TZ: timeZone.optional(),
  TZ: z.string().optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  // Bounded: a token revoked by another process (the CLI, a second server) stays usable here
  // for up to this long.
  API_TOKEN_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(10),
});

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  /** The bureau's time zone: dates in policies, limits and reports are dates in this zone. */
  timeZone: string;
  sessionSecret: string;
  publicUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Trust X-Forwarded-For (only behind a proxy that sets it): the public form's rate limit keys on it. */
  trustProxy: boolean;
  /**
   * How long an API token, once found valid, is trusted without asking the database again (0: ask
   * every time). A revocation in this process takes effect at once; one made by another process
   * (the CLI, another server) takes effect here within this time.
   */
  tokenCacheSeconds: number;
}

/** Parses `env` (default `process.env`); throws ConfigError listing every variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // TZ is the process's zone and is often "UTC" on servers; the bureau's zone defaults to Shanghai
  // unless BUREAU_TZ (or a TZ that is a real zone other than UTC) says otherwise.
  let zone = e.BUREAU_TZ ?? 'Asia/Shanghai';
  if (!e.BUREAU_TZ && e.TZ && e.TZ !== 'UTC' && e.TZ !== 'Etc/UTC') {
    const tz = timeZone.safeParse(e.TZ);
    if (!tz.success) throw new ConfigError(`invalid environment:\n  TZ: not an IANA time zone`);
    zone = e.TZ;
  }
  const dataDir = resolve(e.DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir,
    port: e.PORT,
    host: e.HOST,
    timeZone: zone,
    sessionSecret: e.SESSION_SECRET ?? sessionSecretFromDataDir(dataDir),
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    tokenCacheSeconds: e.API_TOKEN_CACHE_SECONDS,
  };
}

/** A secret generated on first start and kept in DATA_DIR, so sessions survive restarts. */
function sessionSecretFromDataDir(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
