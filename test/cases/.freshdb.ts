import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from '../../src/db/client.ts';
export async function freshDb() {
  const base = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `neikong_s_${randomBytes(5).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const d = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}` });
  return Object.assign(d, { async drop() { await d.close(); const a = postgres(base, { max: 1, onnotice: () => {} }); await a.unsafe(`drop database if exists ${name} with (force)`); await a.end(); } });
}
