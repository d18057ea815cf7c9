// app.js — start-up, session, layout and hash router of the web UI.
//
// Start-up asks GET /api/v1/session: logged in → the layout (top bar + left nav + page area),
// otherwise the login page. Routes are hash URLs (#/search?q=…, #/household/5) so the server
// only serves files. Pages are ES modules under pages/, loaded on first use; each exports
//   default async function render(el, ctx)
// where el is the page's own container and ctx = {user, params, query, navigate, refresh, can,
// setTitle, isCurrent}. A page that is left while still loading writes into a detached element,
// so late answers can't overwrite the next page.
//
// Adding a module = one line in NAV (left menu, filtered by user.permissions) and one in ROUTES.

import { h, replace } from './dom.js';
import { get, del, setCsrfToken, setUnauthenticatedHandler } from './api.js';
import { ROLE_LABELS } from './labels.js';
import { dismissStaleNotice } from './ui.js';

const APP_NAME = '民政综合业务系统';

/* The left menu. Entries appear only when `permission` is in user.permissions ('' = any
 * logged-in user). */
export const NAV = [
  { title: '区划浏览', hash: '#/regions', permission: 'region.read', testid: 'nav-regions' },
  { title: '人员查询', hash: '#/search', permission: 'registry.read', testid: 'nav-search' },
  { title: '新增家庭', hash: '#/household/new', permission: 'registry.write', testid: 'nav-new-household' },
  { title: '政策参数', hash: '#/policy', permission: 'policy.read', testid: 'nav-policy' },
  { title: '救助案件', hash: '#/assistance', permission: 'assistance.read', testid: 'nav-assistance' },
  { title: '到期复核', hash: '#/assistance/reviews', permission: 'assistance.read', testid: 'nav-assistance-reviews' },
  { title: '暂缓退出', hash: '#/assistance/held', permission: 'assistance.read', testid: 'nav-assistance-held' },
  { title: '疫情期间', hash: '#/assistance/epidemic', permission: 'assistance.read', testid: 'nav-assistance-epidemic' },
  { title: '发放管理', hash: '#/payroll', permission: 'payroll', testid: 'nav-payroll' },
  { title: '统计报表', hash: '#/report', permission: 'assistance.read', testid: 'nav-report' },
  { title: '临时救助', hash: '#/relief', permission: 'assistance.read', testid: 'nav-relief' },
  { title: '价格补贴', hash: '#/price', permission: 'assistance.read', testid: 'nav-price' },
  { title: '困难台账', hash: '#/ledger', permission: 'ledger', testid: 'nav-ledger' },
  { title: '机构日报', hash: '#/institutions', permission: 'institution.read', testid: 'nav-institutions' },
  { title: '填报日报', hash: '#/daily', permission: 'institution.report', testid: 'nav-daily' },
  { title: '督导检查', hash: '#/inspections', permission: 'inspection', testid: 'nav-inspections' },
  { title: '值班值守', hash: '#/duty', permission: 'duty', testid: 'nav-duty' },
  { title: '热线个案', hash: '#/hotline', permission: 'hotline', testid: 'nav-hotline' },
  { title: '救助站', hash: '#/rescue', permission: 'rescue', testid: 'nav-rescue' },
  { title: '殡葬服务', hash: '#/funeral', permission: 'funeral', testid: 'nav-funeral' },
  { title: '死亡比对', hash: '#/crosscheck', permission: 'crosscheck', testid: 'nav-crosscheck' },
  { title: '婚姻登记', hash: '#/marriage', permission: 'marriage', testid: 'nav-marriage' },
  { title: '物资管理', hash: '#/goods', permission: 'goods', testid: 'nav-goods' },
  { title: '慈善募捐', hash: '#/charity', permission: 'charity', testid: 'nav-charity' },
  { title: '社会组织', hash: '#/orgs', permission: 'social_org', testid: 'nav-orgs' },
  { title: '干部下沉', hash: '#/staff', permission: 'staff', testid: 'nav-staff' },
  { title: '防疫文件', hash: '#/documents', permission: '', testid: 'nav-documents' },
  { title: '福彩网点', hash: '#/lottery', permission: 'institution.read', testid: 'nav-lottery' },
  { title: '数据导入', hash: '#/import', permission: 'registry.write', testid: 'nav-import' },
  { title: '综合统计', hash: '#/stats', permission: 'assistance.read', testid: 'nav-stats' },
  { title: '领导驾驶舱', hash: '#/dashboard', permission: 'assistance.read', testid: 'nav-dashboard' },
];

/* Hash routes: path pattern (captures become ctx.params), page module, permission needed. */
const ROUTES = [
  { pattern: /^\/regions(?:\/(\d{2,12}))?$/, load: () => import('./pages/regions.js'), permission: 'region.read' },
  { pattern: /^\/search$/, load: () => import('./pages/search.js'), permission: 'registry.read' },
  { pattern: /^\/household\/new$/, load: () => import('./pages/household_form.js'), permission: 'registry.write' },
  { pattern: /^\/household\/(\d+)$/, load: () => import('./pages/household.js'), permission: 'registry.read' },
  { pattern: /^\/policy$/, load: () => import('./pages/policy.js'), permission: 'policy.read' },
  { pattern: /^\/assistance(?:\/(new))?$/, load: () => import('./pages/assistance.js'), permission: 'assistance.read' },
  { pattern: /^\/assistance\/case\/(\d+)$/, load: () => import('./pages/assistance_case.js'), permission: 'assistance.read' },
  { pattern: /^\/assistance\/notice\/(\d{2,12})$/, load: () => import('./pages/assistance_notice.js'), permission: 'assistance.read' },
  { pattern: /^\/assistance\/(reviews|held|epidemic)$/, load: () => import('./pages/assistance_lists.js'), permission: 'assistance.read' },
  { pattern: /^\/payroll$/, load: () => import('./pages/payroll.js'), permission: 'payroll' },
  { pattern: /^\/payroll\/(\d+)$/, load: () => import('./pages/payroll_run.js'), permission: 'payroll' },
  { pattern: /^\/report$/, load: () => import('./pages/report.js'), permission: 'assistance.read' },
  // Each of these pages handles its own sub-paths (ctx.params[0]: "new", "12", "overdue", …).
  { pattern: /^\/relief(?:\/(.+))?$/, load: () => import('./pages/relief.js'), permission: 'assistance.read' },
  { pattern: /^\/price(?:\/(.+))?$/, load: () => import('./pages/price.js'), permission: 'assistance.read' },
  { pattern: /^\/ledger(?:\/(.+))?$/, load: () => import('./pages/ledger.js'), permission: 'ledger' },
  { pattern: /^\/institutions(?:\/(.+))?$/, load: () => import('./pages/institutions.js'), permission: 'institution.read' },
  { pattern: /^\/daily(?:\/(.+))?$/, load: () => import('./pages/daily.js'), permission: 'institution.report' },
  { pattern: /^\/inspections(?:\/(.+))?$/, load: () => import('./pages/inspections.js'), permission: 'inspection' },
  { pattern: /^\/duty(?:\/(.+))?$/, load: () => import('./pages/duty.js'), permission: 'duty' },
  { pattern: /^\/hotline(?:\/(.+))?$/, load: () => import('./pages/hotline.js'), permission: 'hotline' },
  { pattern: /^\/rescue(?:\/(.+))?$/, load: () => import('./pages/rescue.js'), permission: 'rescue' },
  { pattern: /^\/funeral(?:\/(.+))?$/, load: () => import('./pages/funeral.js'), permission: 'funeral' },
  { pattern: /^\/crosscheck(?:\/(.+))?$/, load: () => import('./pages/crosscheck.js'), permission: 'crosscheck' },
  { pattern: /^\/marriage(?:\/(.+))?$/, load: () => import('./pages/marriage.js'), permission: 'marriage' },
  { pattern: /^\/goods(?:\/(.+))?$/, load: () => import('./pages/goods.js'), permission: 'goods' },
  { pattern: /^\/charity(?:\/(.+))?$/, load: () => import('./pages/charity.js'), permission: 'charity' },
  { pattern: /^\/orgs(?:\/(.+))?$/, load: () => import('./pages/orgs.js'), permission: 'social_org' },
  { pattern: /^\/staff(?:\/(.+))?$/, load: () => import('./pages/staff.js'), permission: 'staff' },
  { pattern: /^\/documents(?:\/(.+))?$/, load: () => import('./pages/documents.js'), permission: '' },
  { pattern: /^\/lottery(?:\/(.+))?$/, load: () => import('./pages/lottery.js'), permission: 'institution.read' },
  { pattern: /^\/import(?:\/(.+))?$/, load: () => import('./pages/import.js'), permission: 'registry.write' },
  { pattern: /^\/stats(?:\/(.+))?$/, load: () => import('./pages/stats.js'), permission: 'assistance.read' },
  { pattern: /^\/dashboard(?:\/(.+))?$/, load: () => import('./pages/dashboard.js'), permission: 'assistance.read' },
];

const state = {
  user: null,
  returnTo: '', // where to go after login
  layout: null, // {root, nav, main, navLinks}
  renderSeq: 0,
  loginMessage: '', // shown on the login page (e.g. session expired)
};

const root = () => document.getElementById('app');

function can(permission) {
  if (permission === '') return !!state.user;
  return !!(state.user && Array.isArray(state.user.permissions) && state.user.permissions.includes(permission));
}

/* parseHash("#/search?q=张") → {path: "/search", query: URLSearchParams} */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const i = raw.indexOf('?');
  const path = (i < 0 ? raw : raw.slice(0, i)) || '/';
  const query = new URLSearchParams(i < 0 ? '' : raw.slice(i + 1));
  return { path, query, hasQuery: i >= 0 };
}

/* navigate(hash): go to hash; re-render when it is already the current one (a repeated search). */
function navigate(hash) {
  if (location.hash === hash || (hash === '#/' && location.hash === '')) route();
  else location.hash = hash;
}

function defaultHash() {
  // an institution's reporter starts on the daily report, not on the region tree
  if (can('institution.report') && !can('institution.read')) return '#/daily';
  const first = NAV.find((n) => can(n.permission));
  return first ? first.hash : '#/none';
}

// ---------------------------------------------------------------- session

function setSession(data) {
  state.user = data.user;
  setCsrfToken(data.csrf_token);
}

function clearSession() {
  state.user = null;
  setCsrfToken('');
  state.layout = null;
}

/* Called by pages/login.js after a successful POST /api/v1/session. */
function loggedIn(data) {
  setSession(data);
  const target = state.returnTo && !state.returnTo.startsWith('#/login') ? state.returnTo : defaultHash();
  state.returnTo = '';
  navigate(target);
}

async function logout() {
  try {
    await del('/api/v1/session');
  } catch (e) {
    // Leaving anyway: the session is useless to this page once we drop the token.
  }
  clearSession();
  state.loginMessage = '';
  navigate('#/login');
}

setUnauthenticatedHandler(() => {
  if (!state.user) return;
  state.returnTo = location.hash;
  clearSession();
  state.loginMessage = '登录已过期，请重新登录';
  navigate('#/login');
});

// ---------------------------------------------------------------- layout

function buildLayout() {
  const u = state.user;
  const navLinks = NAV.filter((n) => can(n.permission)).map((n) =>
    h('a', { href: n.hash, class: 'nav-link', 'data-testid': n.testid, 'data-hash': n.hash }, n.title));
  const nav = h('nav', { class: 'sidenav', id: 'sidenav', 'aria-label': '功能菜单' }, navLinks);
  const toggle = h('button', {
    type: 'button', class: 'nav-toggle', 'aria-controls': 'sidenav', 'aria-expanded': 'false',
    'data-testid': 'nav-toggle',
    onclick: () => {
      const open = !nav.classList.contains('open');
      nav.classList.toggle('open', open);
      toggle.setAttribute('aria-expanded', String(open));
    },
  }, h('span', { class: 'nav-toggle-bars', 'aria-hidden': 'true' }), '菜单');
  const header = h('header', { class: 'topbar' },
    toggle,
    h('a', { class: 'brand', href: defaultHash() }, APP_NAME),
    h('div', { class: 'who' },
      h('span', { class: 'who-name', 'data-testid': 'topbar-user' }, u.name || u.username),
      h('span', { class: 'who-role', 'data-testid': 'topbar-role' }, ROLE_LABELS[u.role] || u.role_label || u.role),
      u.region_name ? h('span', { class: 'who-region', 'data-testid': 'topbar-region' }, u.region_name) : null),
    h('button', { type: 'button', class: 'btn btn-logout', 'data-testid': 'logout', onclick: logout }, '退出'));
  const main = h('main', { class: 'content', id: 'content', tabindex: '-1' });
  const shell = h('div', { class: 'shell' }, nav, main);
  replace(root(), header, shell);
  state.layout = { header, nav, main, navLinks, toggle };
}

function markActiveNav(path) {
  const { navLinks, nav, toggle } = state.layout;
  // The longest nav hash that is a prefix of the current path wins (#/household/new beats none).
  let best = null;
  for (const a of navLinks) {
    const p = a.getAttribute('data-hash').slice(1);
    if ((path === p || path.startsWith(p + '/')) && (!best || p.length > best.p.length)) best = { a, p };
  }
  for (const a of navLinks) {
    if (best && a === best.a) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  nav.classList.remove('open');
  toggle.setAttribute('aria-expanded', 'false');
}

function message(el, title, text, testid) {
  replace(el, h('div', { class: 'panel', 'data-testid': testid },
    h('h1', null, title), h('p', { class: 'muted' }, text)));
}

// ---------------------------------------------------------------- router

async function route() {
  const seq = ++state.renderSeq;
  const { path, query, hasQuery } = parseHash();

  if (!state.user) {
    if (path !== '/login') {
      state.returnTo = location.hash && location.hash !== '#/' ? location.hash : '';
      location.replace('#/login'); // fires hashchange, which renders the login page
      return;
    }
    document.title = `登录 - ${APP_NAME}`;
    const el = h('div', { class: 'login-page' });
    replace(root(), el);
    state.layout = null;
    const mod = await import('./pages/login.js');
    if (seq !== state.renderSeq) return;
    const msg = state.loginMessage || '';
    state.loginMessage = '';
    await mod.default(el, { onLoggedIn: loggedIn, message: msg });
    return;
  }

  if (path === '/login' || path === '/' || path === '') {
    location.replace(defaultHash());
    return;
  }

  if (!state.layout) buildLayout();
  markActiveNav(path);
  dismissStaleNotice();
  const main = state.layout.main;
  const el = h('div', { class: 'page' });
  replace(main, el);

  const r = ROUTES.find((x) => x.pattern.test(path));
  if (path === '/none') {
    message(el, '暂无可用功能', '您的账号尚未开通本系统的任何功能，请联系管理员。', 'page-none');
    return;
  }
  if (!r) {
    message(el, '页面不存在', '请从左侧菜单选择功能。', 'page-not-found');
    return;
  }
  if (!can(r.permission)) {
    message(el, '没有权限', '您的账号没有访问此页面的权限。', 'page-forbidden');
    return;
  }
  const params = path.match(r.pattern).slice(1);
  const ctx = {
    user: state.user,
    params,
    query,
    hasQuery,
    can,
    navigate,
    refresh: () => route(),
    isCurrent: () => seq === state.renderSeq,
    setTitle: (t) => { if (seq === state.renderSeq) document.title = `${t} - ${APP_NAME}`; },
  };
  let mod;
  try {
    mod = await r.load();
  } catch (e) {
    if (seq === state.renderSeq) message(el, '页面加载失败', '请刷新页面重试。', 'page-error');
    return;
  }
  if (seq !== state.renderSeq) return;
  try {
    await mod.default(el, ctx);
  } catch (e) {
    // Pages handle their own API errors; this is the last resort for a bug.
    console.error(e);
    if (seq === state.renderSeq && !el.childNodes.length) message(el, '出错了', (e && e.message) || '未知错误', 'page-error');
  }
}

// ---------------------------------------------------------------- start

async function start() {
  try {
    const data = await get('/api/v1/session');
    setSession(data);
  } catch (e) {
    clearSession();
    if (e.status !== 401) state.loginMessage = e.message;
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
