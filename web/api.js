// api.js — the one way pages talk to the server. JSON in and out, cookie session
// (credentials: 'same-origin'), the CSRF token from login / GET /api/v1/session sent as
// X-CSRF-Token on every write, and server errors {"error":{code,message,field}} turned into a
// thrown ApiError carrying status, code, message (Chinese) and field.
// A 401 on any call other than the session endpoints tells app.js (the session has expired).

let csrfToken = '';
let unauthenticatedHandler = null;

export function setCsrfToken(token) {
  csrfToken = token || '';
}

/* setUnauthenticatedHandler(fn): fn(error) runs when a call answers 401 (session expired). */
export function setUnauthenticatedHandler(fn) {
  unauthenticatedHandler = fn;
}

export class ApiError extends Error {
  constructor({ status = 0, code = 'error', message = '', field = '' }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

const STATUS_MESSAGES = {
  400: '提交的内容有误',
  401: '未登录或登录已过期，请重新登录',
  403: '没有权限执行此操作',
  404: '未找到，或不在您的管辖范围内',
  409: '与已有数据冲突',
  413: '提交的内容过大',
  429: '操作过于频繁，请稍后再试',
};

function statusMessage(status) {
  if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status];
  if (status >= 500) return '服务器暂时无法处理，请稍后再试';
  return `请求失败（${status}）`;
}

/* queryString({a: 1, b: '', c: null}) → "?a=1" (empty values dropped). */
export function queryString(params) {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/* request(method, path, {query, body}) → parsed JSON (null for 204). Throws ApiError. */
export async function request(method, path, { query, body } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res;
  try {
    res = await fetch(path + queryString(query), init);
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', message: '无法连接服务器，请检查网络后重试' });
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (res.ok) return data;

  const e = (data && data.error) || {};
  const err = new ApiError({
    status: res.status,
    code: e.code || `http_${res.status}`,
    message: e.message || statusMessage(res.status),
    field: e.field || '',
  });
  if (res.status === 401 && !path.startsWith('/api/v1/session') && unauthenticatedHandler) {
    unauthenticatedHandler(err);
  }
  throw err;
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, body) => request('POST', path, { body: body ?? {} });
export const patch = (path, body) => request('PATCH', path, { body: body ?? {} });
export const del = (path, body) => request('DELETE', path, body === undefined ? {} : { body });
