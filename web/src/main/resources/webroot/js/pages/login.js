// 登录: the form posts to /auth/login, which sets the HttpOnly session cookie; a wrong password shows the
// server's own message in the chosen language.

import { t } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, errorText } from '../dom.js';
import { setUser } from '../session.js';

/** Only an in-app route may be the destination after login (never another site). */
function nextRoute(route) {
  const next = route.params.get('next') || '';
  return /^#\/[a-z]/.test(next) && next.indexOf('#/login') !== 0 ? next : '#/catalog';
}

export function render(view, route) {
  const message = h('div', { id: 'login-message' });
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { id: 'login-submit', type: 'submit', class: 'btn primary wide' }, t('login.submit'));

  function onSubmit(e) {
    e.preventDefault();
    submit.disabled = true;
    submit.textContent = t('login.busy');
    clearMessage();
    api('/auth/login', { method: 'POST', body: { username: username.value.trim(), password: password.value }, allow401: true })
      .then(function (res) {
        setUser(res.user);
        window.location.hash = nextRoute(route);
      }, function (err) {
        fill(message, notice('error', errorText(err)));
        password.value = '';
        password.focus();
      }).then(function () {
        submit.disabled = false;
        submit.textContent = t('login.submit');
      });
  }

  function clearMessage() {
    fill(message);
  }

  view.appendChild(h('form', { class: 'card narrow', id: 'login-form', onsubmit: onSubmit, novalidate: true },
    h('h1', { id: 'login-title' }, t('login.title')),
    h('p', { class: 'muted' }, t('login.hint')),
    message,
    h('label', { for: 'login-username' }, t('login.username')), username,
    h('label', { for: 'login-password' }, t('login.password')), password,
    submit));
}
