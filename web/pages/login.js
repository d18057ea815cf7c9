// pages/login.js — the login form (#/login): POST /api/v1/session with username and password,
// errors shown inline under the form (用户名或密码错误, 账号已锁定 …). On success hands the
// {user, csrf_token} answer to app.js (ctx.onLoggedIn), which builds the layout.

import { h, replace } from '../dom.js';
import { post } from '../api.js';
import { field, textInput, button, busy } from '../ui.js';

const FALLBACK = {
  bad_credentials: '用户名或密码错误',
  account_locked: '账号已锁定，请15分钟后再试',
};

export default async function render(el, ctx) {
  const user = field({
    label: '用户名',
    input: textInput({ name: 'username', autocomplete: 'username', autocapitalize: 'off', autofocus: true }),
    testid: 'login-username',
  });
  const pass = field({
    label: '密码',
    input: h('input', { type: 'password', name: 'password', autocomplete: 'current-password' }),
    testid: 'login-password',
  });
  const error = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'login-error', hidden: !ctx.message }, ctx.message || '');
  const submit = button('登录', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'login-submit' });

  const showError = (msg) => {
    error.textContent = msg;
    error.hidden = !msg;
  };

  const form = h('form', { class: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title', class: 'login-title' }, '民政综合业务系统'),
    h('p', { class: 'login-sub' }, '请使用分配给您的账号登录'),
    error, user.wrap, pass.wrap, submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = user.input.value.trim();
    const password = pass.input.value;
    user.clearError();
    pass.clearError();
    showError('');
    if (!username) {
      user.setError('请输入用户名');
      user.input.focus();
      return;
    }
    if (!password) {
      pass.setError('请输入密码');
      pass.input.focus();
      return;
    }
    try {
      const data = await busy(submit, () => post('/api/v1/session', { username, password }), '正在登录…');
      ctx.onLoggedIn(data);
    } catch (err) {
      showError(err.message || FALLBACK[err.code] || '登录失败');
      pass.input.value = '';
      pass.input.focus();
    }
  });

  replace(el, h('div', { class: 'login-box' }, form),
    h('p', { class: 'login-foot' }, '本系统仅限授权人员使用，所有操作均记录审计日志。'));
  user.input.focus();
}
