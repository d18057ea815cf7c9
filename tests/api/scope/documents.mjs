// scope/documents.mjs — the documents' part of the scope matrix (tests/api/scope.test.mjs): a
// document with a small file, issued by the fixture village's county and sent to its township and
// to the village itself, made by the admin.
//
// Every route names one document and needs only a login. Who sees a document (documents_store.c
// visible_sql): with the `documents` permission, one issued by or sent to a unit inside the
// caller's scope; without it, one sent to the caller's own unit (their region code exactly) or the
// institution they report for. Anything else is 404. The list of recipients still to acknowledge
// (…/pending) is the issuer's: it needs `documents`.
import assert from 'node:assert/strict';

export const prefix = '/api/v1/documents';

let serial = 0;

export async function fixture(admin, village, tag) {
  const d = await admin.post('/api/v1/documents', {
    number: `范围发〔2020〕${Date.now().toString(36)}${++serial}号`, title: `范围测试通知${tag}`, issuing_body: '县区民政局',
    issuer_code: village.slice(0, 6), issued_on: '2020-02-01', scope_text: '各镇街', recipients: [village.slice(0, 9), village],
    file: { name: '通知.txt', type: 'text/plain', content_base64: Buffer.from(`范围测试${tag}`).toString('base64') },
  });
  assert.equal(d.status, 201, `admin issues a document to ${village.slice(0, 9)} and ${village}: ${d.text}`);
  return { document_id: d.json.id };
}

export function param(prev, pattern, f) {
  if (prev === 'documents') return f.document_id;
  return undefined;
}

export const needs = (route, actor, f, can) => !route.pattern.endsWith('/pending') || can(actor, 'documents');

export function sees(route, actor, f, can) {
  if (can(actor, 'documents')) return f.village.startsWith(actor.scope);
  return [f.village.slice(0, 9), f.village].includes(actor.scope); // the recipients
}

// The list is by addressee, not by region: a county rightly sees the city's documents sent to it
// (issued by 3707, above its scope), so its rows cannot lie under the caller's region code.
// tests/api/documents.test.mjs checks that a unit a document was not sent to does not see it.
export const unscoped = ['GET /api/v1/documents'];
