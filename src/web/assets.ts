/**
 * Static assets (stylesheet, script, icons) served by neikong itself from src/web/assets: the
 * machines it runs on are often on closed networks, so nothing comes from a CDN. Pages link
 * `asset('app.css')`, which carries a content hash (`/assets/app.css?v=1a2b3c4d`) so browsers may
 * keep the file for a year; a link without the current hash (an old page, the API docs page) is
 * revalidated with its ETag instead.
 *
 * @example
 * <link rel="stylesheet" href={asset('app.css')} />
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { sha256 } from '../platform/hash.ts';
import type { AppEnv } from '../platform/http.ts';

const dir = fileURLToPath(new URL('./assets/', import.meta.url));

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

interface Asset {
  body: Uint8Array;
  type: string;
  hash: string;
}

// Read once: the set is small (tens of kilobytes) and fixed for the life of the process.
const assets = new Map<string, Asset>();
for (const name of readdirSync(dir)) {
  const type = types[extname(name)];
  if (!type) continue;
  const body = readFileSync(dir + name);
  assets.set(name, { body, type, hash: sha256(body).slice(0, 12) });
}

/** The URL of an asset with its content hash, e.g. `/assets/app.css?v=0f3a...`. */
export function asset(name: string): string {
  const a = assets.get(name);
  if (!a) throw new Error(`no asset ${name} in src/web/assets`);
  return `/assets/${name}?v=${a.hash}`;
}

export const assetRoutes = new Hono<AppEnv>();

assetRoutes.get('/assets/:name', (c) => {
  const a = assets.get(c.req.param('name'));
  if (!a) return c.text('not found', 404);
  const etag = `"${a.hash}"`;
  const versioned = c.req.query('v') === a.hash;
  const headers = {
    'content-type': a.type,
    etag,
    'cache-control': versioned ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  return c.body(a.body as Uint8Array<ArrayBuffer>, 200, headers);
});
