/**
 * The public verify page of issued documents (the QR code on every ruling and decision points
 * here). `GET /verify/:number` says whether the number was issued and with which SHA-256;
 * posting the PDF (or its hash) says whether a copy is authentic. The same answers as JSON under
 * `/api/verify/:number`. Open to everyone (RulingVerification read).
 *
 * @example
 * curl -F file=@decision.pdf "$URL/api/verify/$(urlencode '泉建纪〔2026〕3号')"
 * // {"number":"泉建纪〔2026〕3号","exists":true,"authentic":true,...}
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { html, raw } from 'hono/html';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, guard, validationHook } from '../platform/http.ts';
import { findIssuedDocument, type VerifyResult, verifyIssuedDocument } from './registry.ts';

export const registryRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const numberParam = z.object({
  number: z
    .string()
    .min(1)
    .max(80)
    .openapi({ param: { name: 'number', in: 'path' }, example: '泉建纪〔2026〕3号' }),
});

const verifyResult = z.object({
  number: z.string(),
  exists: z.boolean(),
  authentic: z.boolean(),
  sha256: z.string().nullable(),
  presented: z.string(),
  issuedOn: z.string().nullable(),
  supersededBy: z.string().nullable(),
});

registryRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verify/{number}',
    tags: ['documents'],
    summary: 'Whether a document number was issued, and the SHA-256 of its PDF',
    middleware: [guard('read', 'RulingVerification')] as const,
    request: { params: numberParam },
    responses: {
      200: {
        description: 'What the registry holds for the number',
        content: {
          'application/json': {
            schema: z.object({
              number: z.string(),
              exists: z.boolean(),
              sha256: z.string().nullable(),
              title: z.string().nullable(),
              issuedOn: z.string().nullable(),
              supersededBy: z.string().nullable(),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const { number } = c.req.valid('param');
    const d = await findIssuedDocument(c.get('deps').db, number);
    return c.json(
      {
        number,
        exists: !!d,
        sha256: d?.sha256 ?? null,
        title: d?.title ?? null,
        issuedOn: d?.issuedOn ?? null,
        supersededBy: d?.supersededBy ?? null,
      },
      200,
    );
  },
);

/** The presented copy from JSON ({sha256}), a raw PDF body, or a form (file or sha256 field). */
async function presented(c: Context<AppEnv>): Promise<{ pdf?: Uint8Array; sha256?: string }> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = (await c.req.json().catch(() => null)) as { sha256?: unknown } | null;
    if (!body || typeof body.sha256 !== 'string')
      throw AppError.validation([{ path: 'sha256', message: 'give the SHA-256 of the copy' }]);
    return { sha256: body.sha256 };
  }
  if (type.startsWith('application/pdf')) return { pdf: new Uint8Array(await c.req.arrayBuffer()) };
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    const form = await c.req.parseBody();
    const file = form.file;
    if (file instanceof File && file.size > 0) return { pdf: new Uint8Array(await file.arrayBuffer()) };
    if (typeof form.sha256 === 'string' && form.sha256.trim()) return { sha256: form.sha256 };
    throw AppError.validation([{ path: 'file', message: 'choose the PDF, or give its SHA-256' }]);
  }
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send JSON {"sha256"}, a PDF, or a form with file or sha256');
}

const ACCEPTED = [
  'application/json',
  'application/pdf',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
];

/** Refuses other bodies with a problem document before the validator would (with a bare 415). */
const acceptedTypes: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!ACCEPTED.includes(type))
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'send JSON {"sha256"}, a PDF, or a form with file or sha256',
    );
  await next();
};

registryRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/verify/{number}',
    tags: ['documents'],
    summary: 'Check a copy: the PDF (raw or as form field "file") or its SHA-256',
    middleware: [guard('read', 'RulingVerification'), acceptedTypes] as const,
    request: {
      params: numberParam,
      body: {
        required: false,
        content: {
          'application/json': { schema: z.object({ sha256: z.string() }) },
          'application/pdf': { schema: z.any().openapi({ type: 'string', format: 'binary' }) },
          'multipart/form-data': {
            schema: z.object({
              file: z.any().openapi({ type: 'string', format: 'binary' }),
              sha256: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Whether the copy is authentic',
        content: { 'application/json': { schema: verifyResult } },
      },
    },
  }),
  async (c) => {
    const { number } = c.req.valid('param');
    return c.json(await verifyIssuedDocument(c.get('deps').db, number, await presented(c)), 200);
  },
);

// ---- the page ---------------------------------------------------------------------------------

const text = {
  zh: {
    title: '公文核验',
    number: '文号',
    issued: '该文号已签发',
    notIssued: '未查到该文号，请核对文号或联系发文机关。',
    hash: '原件 SHA-256',
    date: '签发日期',
    superseded: '本文件已被后续文件替代：',
    check: '核验副本',
    file: '上传 PDF 文件',
    orHash: '或填写文件的 SHA-256',
    submit: '核验',
    authentic: '核验通过：该副本与签发原件一致。',
    forged: '核验未通过：该副本与签发原件不一致。',
  },
  en: {
    title: 'Verify a document',
    number: 'Number',
    issued: 'This number was issued',
    notIssued: 'No document was issued under this number. Check the number or ask the issuing office.',
    hash: 'SHA-256 of the original',
    date: 'Issued on',
    superseded: 'This document has been replaced by',
    check: 'Check a copy',
    file: 'Upload the PDF',
    orHash: 'or give the SHA-256 of the file',
    submit: 'Verify',
    authentic: 'Authentic: this copy is identical to the issued document.',
    forged: 'Not authentic: this copy differs from the issued document.',
  },
};

function page(
  c: Context<AppEnv>,
  number: string,
  info: Awaited<ReturnType<typeof findIssuedDocument>>,
  result?: VerifyResult,
  status: 200 | 400 = 200,
  error?: string,
) {
  const en =
    c.req.query('lang') === 'en' || (c.req.header('accept-language') ?? '').toLowerCase().startsWith('en');
  const t = en ? text.en : text.zh;
  const p = c.get('principal');
  const csrf =
    p.kind === 'user' && p.csrfToken ? html`<input type="hidden" name="_csrf" value="${p.csrfToken}">` : '';
  const action = `/verify/${encodeURIComponent(number)}${en ? '?lang=en' : ''}`;
  return c.html(
    html`<!doctype html>
<html lang="${en ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} ${number}</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main class="container verify-page">
<h1>${t.title}</h1>
<p>${t.number}：<strong data-testid="doc-number">${number}</strong></p>
${
  info
    ? html`<section class="notice notice-ok" data-testid="issued"><p>${t.issued}</p>
<dl><dt>${t.date}</dt><dd>${info.issuedOn}</dd><dt>${t.hash}</dt><dd><code data-testid="sha256">${info.sha256}</code></dd></dl>
${info.supersededBy ? html`<p>${t.superseded} <a href="/verify/${encodeURIComponent(info.supersededBy)}">${info.supersededBy}</a></p>` : ''}</section>`
    : html`<section class="notice notice-warn" data-testid="not-issued" role="alert"><p>${t.notIssued}</p></section>`
}
${result ? html`<section class="notice ${result.authentic ? 'notice-ok' : 'notice-error'}" role="status" data-testid="result" data-authentic="${String(result.authentic)}"><p>${result.authentic ? t.authentic : t.forged}</p></section>` : ''}
${error ? html`<section class="notice notice-error" role="alert"><p>${error}</p></section>` : ''}
${
  info
    ? html`<h2>${t.check}</h2>
<form method="post" action="${action}" enctype="multipart/form-data">${csrf}
<p><label>${t.file} <input type="file" name="file" accept="application/pdf"></label></p>
<p><label>${t.orHash} <input type="text" name="sha256" size="70" pattern="[0-9a-fA-F]{64}"></label></p>
<p><button type="submit">${t.submit}</button></p></form>`
    : ''
}
<p><a href="/verify/${encodeURIComponent(number)}${raw(en ? '' : '?lang=en')}">${en ? '中文' : 'English'}</a></p>
</main></body></html>`,
    status,
  );
}

registryRoutes.get('/verify/:number', guard('read', 'RulingVerification'), async (c) => {
  const number = c.req.param('number');
  return page(c, number, await findIssuedDocument(c.get('deps').db, number));
});

registryRoutes.post('/verify/:number', guard('read', 'RulingVerification'), async (c) => {
  const number = c.req.param('number');
  const { db } = c.get('deps');
  const info = await findIssuedDocument(db, number);
  try {
    return page(c, number, info, await verifyIssuedDocument(db, number, await presented(c)));
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED')
      return page(c, number, info, undefined, 400, err.errors?.[0]?.message ?? err.message);
    throw err;
  }
});
