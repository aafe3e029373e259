/**
 * Authority benchmarks:
 * - in-process decisions per second with warm caches (goal: over 1 million), on a stream like the
 *   case ledger's (mostly allowed, some denied and explained), and denials alone;
 * - the scope of one clerk (goal: under 5 ms), for the clerk with the widest authority;
 * - decisions per second through HTTP with the approval system's token, one decision a request and
 *   100 a request, against a bare hono route measured in the same run (goal: at least 60% of it),
 *   each decision recorded: a measurement lasts until the decision log has caught up.
 * The HTTP load comes from a worker thread (node:http, keep-alive), so the client does not share
 * the server's event loop.
 */
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../../src/app.ts';
import { AuthorityEngine } from '../../src/authority/engine.ts';
import { flushDecisions, getAuthorityEngine } from '../../src/authority/index.ts';
import { readPolicyDir } from '../../src/authority/policy.ts';
import { authorityPolicyDir } from '../../src/authority/service.ts';
import { snapshotFromOrgDocument } from '../../src/authority/snapshot.ts';
import type { DecisionRequest } from '../../src/authority/types.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { createToken } from '../../src/platform/auth.ts';
import { type BenchRow, benchDatabase } from './harness.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = 32;
/** HTTP measurements alternate baseline and app this many times. */
const ROUNDS = 2;

/**
 * What the case ledger asks while ingesting: cases one after another (normal, fast-track and
 * parallel, on the window items), each event by the post that does it, with the case's earlier
 * events as history; 1 event in 20 done by someone without the authority (denied and explained).
 */
function ledgerStream(doc: ReturnType<typeof demoOrg>, cases: number): DecisionRequest[] {
  const holderOf = (post: string) =>
    doc.assignments!.find((a) => a.post === post && a.role === 'A' && !a.to)!.staff;
  const postFor = (prefix: string, business: string) =>
    doc.posts!.find((p) => p.code.startsWith(prefix) && (p.businesses ?? []).includes(business))!.code;
  const items = doc.items!.filter((i) => i.atWindow !== false);
  const staff = doc.staff!.map((s) => s.no);
  const routesUsed = ['normal', 'normal', 'fast_track', 'normal', 'parallel'] as const;
  const out: DecisionRequest[] = [];
  const day0 = Date.parse('2026-01-05T01:30:00Z');
  let odd = 0;
  for (let c = 0; c < cases; c++) {
    const item = items[c % items.length];
    const route = routesUsed[c % routesUsed.length];
    const start = day0 + ((c * 7) % 240) * 86_400_000;
    const acceptor = holderOf(c % 2 ? 'P-ACCEPT-1' : 'P-ACCEPT-2');
    const approver =
      route === 'fast_track' ? holderOf('P-CHIEF') : holderOf(postFor('P-APPROVE-', item.business));
    // the bureau's seal is the chief's; the approval seal is the business's approval post's
    const sealer =
      item.specialSeal === false ? holderOf('P-CHIEF') : holderOf(postFor('P-APPROVE-', item.business));
    const steps: [string, string][] = [
      ['receipt', acceptor],
      ['accept', acceptor],
      ['review', holderOf(postFor('P-REVIEW-', item.business))],
      ['approve', approver],
      ['seal', sealer],
      ['complete', approver],
      ['announce', holderOf('P-ANNOUNCE')],
      ['deliver', acceptor],
    ];
    const history: { seq: number; action: string; actor: string; at: string }[] = [];
    steps.forEach(([action, actor], k) => {
      const at = new Date(start + k * 3_600_000);
      // someone without the authority, now and then
      const who = ++odd % 20 === 0 ? staff[(c * 13 + k) % staff.length] : actor;
      out.push({
        staff: who,
        action,
        item: item.code,
        at,
        case: {
          caseNo: `B-${c}`,
          route,
          channel: item.online ? 'online' : 'window',
          project: null,
          seal: action === 'seal' ? (item.specialSeal === false ? 'official' : 'special') : undefined,
          history: history.slice(),
        },
      });
      history.push({ seq: k + 1, action, actor: who, at: at.toISOString() });
    });
  }
  return out;
}

function perSecond(fn: (i: number) => void, ms = SECONDS * 1000) {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10_000; i++) fn(count++);
    now = performance.now();
  }
  return Math.round((count / (now - start)) * 1000);
}

interface Load {
  /** Requests answered 200. */
  done: number;
  ms: number;
  errors: number;
}

/** Sends requests from a worker thread, CONCURRENCY in flight, for SECONDS. */
function load(url: string, body: string, headers: Record<string, string>): Promise<Load> {
  // node:http with keep-alive: in a worker it drives several times more requests than fetch.
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const http = require('node:http');
    const { url, body, headers, seconds, concurrency } = workerData;
    const u = new URL(url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const all = { ...headers, 'content-length': Buffer.byteLength(body) };
    const once = () => new Promise((resolve) => {
      const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: all }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      // a keep-alive socket the server closed at that moment: count it, go on
      req.on('error', () => resolve(0));
      req.end(body);
    });
    let done = 0, errors = 0, end = 0;
    async function one() {
      while (Date.now() < end) {
        if ((await once()) === 200) done++; else errors++;
      }
    }
    (async () => {
      await Promise.all(Array.from({ length: concurrency }, once)); // open the connections
      const start = Date.now();
      end = start + seconds * 1000;
      await Promise.all(Array.from({ length: concurrency }, one));
      parentPort.postMessage({ done, ms: Date.now() - start, errors });
    })();
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, {
      eval: true,
      workerData: {
        url,
        body,
        headers: { 'content-type': 'application/json', ...headers },
        seconds: SECONDS,
        concurrency: CONCURRENCY,
      },
    });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

function listen(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<{ url: string; close: () => void }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => server.close() }),
    );
  });
}

export async function bench(): Promise<BenchRow[]> {
  const doc = demoOrg(1);
  // In-process first, in its own scope: its 200,000 requests and answers are garbage by the time
  // the HTTP measurements run, so they do not slow those down through the collector.
  const rows = inProcess(doc);
  rows.push(...(await throughHttp(doc)));
  return rows;
}

function inProcess(doc: ReturnType<typeof demoOrg>): BenchRow[] {
  const rows: BenchRow[] = [];
  const engine = new AuthorityEngine(
    snapshotFromOrgDocument(doc, { policies: [readPolicyDir(authorityPolicyDir)] }),
  );
  const stream = ledgerStream(doc, 25_000);
  for (const r of stream) engine.decide(r); // warm caches
  const answers = stream.map((r) => engine.decide(r));
  const allowed = stream.filter((_, i) => answers[i].allowed);
  const denied = stream.filter((_, i) => !answers[i].allowed);
  rows.push({
    name: 'authority decisions in process (warm caches)',
    figure: perSecond((i) => engine.decide(stream[i % stream.length])),
    unit: 'decisions/s',
    note: `goal > 1,000,000; ${stream.length} ledger events of 25,000 cases (each with its history), ${denied.length} denied and explained`,
  });
  rows.push({
    name: 'authority decisions in process, allowed only (warm caches)',
    figure: perSecond((i) => engine.decide(allowed[i % allowed.length]), 2000),
    unit: 'decisions/s',
    note: 'the events of the same stream that were allowed',
  });
  rows.push({
    name: 'authority denials in process (explained)',
    figure: perSecond((i) => engine.decide(denied[i % denied.length]), 2000),
    unit: 'decisions/s',
    note: 'each with reasons and the posts that would be allowed',
  });
  const chief = doc.assignments!.find((a) => a.post === 'P-CHIEF' && a.role === 'A')!.staff;
  const at = new Date('2026-03-05T02:00:00Z');
  engine.scope(chief, at);
  const runs = 500;
  const t0 = performance.now();
  let scopeRows = 0;
  for (let i = 0; i < runs; i++) scopeRows = engine.scope(chief, at).rows.length;
  rows.push({
    name: 'authority scope of one clerk (widest: the chief)',
    figure: (performance.now() - t0) / runs,
    unit: 'ms',
    note: `goal < 5 ms; ${scopeRows} rows (item x action x grant)`,
  });

  return rows;
}

/** Requests/s of a load, counting the time the decision log took to catch up (0 for the bare route). */
const rateOf = (l: Load, drainMs = 0) => (l.done / (l.ms + drainMs)) * 1000;

async function throughHttp(doc: ReturnType<typeof demoOrg>): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const t = await benchDatabase();
  try {
    await importOrg(t.db, doc, { actor: 'bench', today: '2026-03-01' });
    await getAuthorityEngine(t.db);
    const { token } = await createToken(t.db, { name: 'bench-approval', role: 'system' }, 'bench');
    const auth = { authorization: `Bearer ${token}` };
    // The baseline: the same server (@hono/node-server), client and concurrency; a hono route that
    // reads the same JSON body and answers JSON, without our middleware, authority or recording.
    const bareApp = new Hono();
    bareApp.post('/bare', async (c) => c.json({ allowed: true, echo: (await c.req.json()).staff }));
    const bare = await listen(bareApp.fetch);
    const app = await listen(createApp(t).fetch);
    try {
      const acceptor = doc.assignments!.find((a) => a.post === 'P-ACCEPT-1' && a.role === 'A')!.staff;
      const one = JSON.stringify({
        staff: acceptor,
        action: 'accept',
        item: 'SG-002',
        at: '2026-03-05T10:00:00+08:00',
        case: { caseNo: 'QZJS-2026-000123', route: 'normal', channel: 'window', project: null },
      });
      const batch = JSON.stringify(Array.from({ length: 100 }, () => JSON.parse(one)));
      // Decisions are answered before they are stored (recorder.ts): a measurement ends when the
      // log has caught up, so a queue left behind does not count as speed.
      const drained = async () => {
        const t0 = performance.now();
        await flushDecisions(t.db);
        return performance.now() - t0;
      };
      // Baseline and app in turns: a machine whose load changes weighs on both alike.
      let bareDone = 0;
      let bareMs = 0;
      let singleDone = 0;
      let singleMs = 0;
      let errors = 0;
      let drainMs = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const b = await load(`${bare.url}/bare`, one, {});
        bareDone += b.done;
        bareMs += b.ms;
        const a = await load(`${app.url}/api/authority/decisions`, one, auth);
        const d = await drained();
        singleDone += a.done;
        singleMs += a.ms + d;
        drainMs += d;
        errors += a.errors;
      }
      const baseline = (bareDone / bareMs) * 1000;
      const single = (singleDone / singleMs) * 1000;
      // last: requests still in flight when its client stops must not weigh on another measurement
      const batched = await load(`${app.url}/api/authority/decisions`, batch, auth);
      const batchedRps = rateOf(batched, await drained());
      errors += batched.errors;
      rows.push({
        name: 'authority decisions through HTTP, 1 a request',
        figure: single,
        unit: 'decisions/s',
        baseline,
        ratio: single / baseline,
        note: `goal ratio >= 0.60; baseline: bare hono route, same server, same client (${CONCURRENCY} in flight), ${ROUNDS} rounds in turns; each decision recorded (log caught up in ${Math.round(drainMs)} ms, counted)${errors ? `; ${errors} errors` : ''}`,
      });
      rows.push({
        name: 'authority decisions through HTTP, 100 a request',
        figure: batchedRps * 100,
        unit: 'decisions/s',
        baseline,
        ratio: (batchedRps * 100) / baseline,
        note: `${Math.round(batchedRps)} requests/s; baseline: bare hono route requests/s`,
      });
    } finally {
      bare.close();
      app.close();
    }
  } finally {
    await t.close();
  }
  return rows;
}
