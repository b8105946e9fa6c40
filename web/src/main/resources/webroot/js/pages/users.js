// 用户: accounts for a school or a county — list, create with roles, reset a forgotten password.

import { t, term } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, loadError, errorText, pager } from '../dom.js';
import { go } from '../router.js';

const ROLES = ['rural_teacher', 'teacher', 'school_admin', 'district_admin'];
const SIZE = 20;

export function render(view, route) {
  const page = Math.max(1, parseInt(route.params.get('page'), 10) || 1);
  const message = h('div', { 'aria-live': 'polite' });
  const list = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  view.appendChild(h('h1', null, t('users.title')));
  view.appendChild(message);
  view.appendChild(h('div', { class: 'split' }, createForm(message, load), h('div', { class: 'card' }, list)));

  function load() {
    api('/users', { query: { page: page, size: SIZE } }).then(function (res) {
      fill(list, res.items.length ? table(res.items, message) : h('p', { class: 'muted' }, t('users.none')),
        res.total > SIZE ? pager(page, SIZE, res.total, function (p) { go('users', { page: p }); }) : null);
    }, function (err) {
      fill(list, loadError(err, load));
    });
  }

  load();
}

function createForm(message, reload) {
  const username = h('input', { id: 'user-username', autocomplete: 'off', required: true });
  const displayName = h('input', { id: 'user-displayName', required: true });
  const password = h('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', required: true });
  const schoolId = h('input', { id: 'user-schoolId' });
  // Decides which county-, city- and province-wide resources the user finds; empty means the admin's own.
  const regionCode = h('input', { id: 'user-regionCode', inputmode: 'numeric', maxlength: 6, pattern: '[0-9]{6}' });
  const roles = ROLES.map(function (r) {
    return h('input', { type: 'checkbox', value: r, id: 'user-role-' + r, checked: r === 'teacher' });
  });
  const submit = h('button', { type: 'submit', class: 'btn primary wide', id: 'user-create' }, t('users.create'));

  function onSubmit(e) {
    e.preventDefault();
    submit.disabled = true;
    api('/users', {
      method: 'POST',
      body: {
        username: username.value.trim(), displayName: displayName.value.trim(), password: password.value,
        roles: roles.filter(function (c) { return c.checked; }).map(function (c) { return c.value; }),
        schoolId: schoolId.value.trim() || undefined,
        regionCode: regionCode.value.trim() || undefined
      }
    }).then(function (u) {
      fill(message, notice('ok', t('users.created', u.username)));
      username.value = '';
      displayName.value = '';
      password.value = '';
      reload();
    }, function (err) {
      fill(message, notice('error', errorText(err)));
    }).then(function () {
      submit.disabled = false;
    });
  }

  return h('form', { class: 'card form', id: 'user-form', onsubmit: onSubmit, novalidate: true },
    h('h2', null, t('users.create')),
    h('label', { for: 'user-username' }, t('users.username')), username,
    h('label', { for: 'user-displayName' }, t('users.displayName')), displayName,
    h('label', { for: 'user-password' }, t('users.password')), password,
    h('fieldset', { class: 'roles' }, h('legend', null, t('users.roles')), roles.map(function (c) {
      return h('label', { class: 'check', for: c.id }, c, ' ', term('role', c.value));
    })),
    h('label', { for: 'user-schoolId' }, t('users.schoolId')), schoolId,
    h('label', { for: 'user-regionCode' }, t('users.regionCode')), regionCode,
    submit);
}

function table(users, message) {
  return h('table', { class: 'table', id: 'user-table' },
    h('thead', null, h('tr', null, h('th', null, t('users.username')), h('th', null, t('users.displayName')),
      h('th', null, t('users.roles')), h('th', null, t('users.regionCodeShort')), h('th', null, ''))),
    h('tbody', null, users.map(function (u) {
      return h('tr', { 'data-username': u.username },
        h('td', null, u.username),
        h('td', null, u.displayName || ''),
        h('td', null, (u.roles || []).map(function (r) { return term('role', r); }).join('、')),
        h('td', null, u.regionCode || ''),
        h('td', null, resetPassword(u, message)));
    })));
}

// Inline, not window.prompt: prompts are blocked or clumsy on classroom boards and phones.
function resetPassword(u, message) {
  const password = h('input', { type: 'password', autocomplete: 'new-password', 'aria-label': t('users.newPassword'), placeholder: t('users.newPassword') });
  const form = h('form', {
    class: 'inline-form', hidden: true, onsubmit: function (e) {
      e.preventDefault();
      api('/users/' + encodeURIComponent(u.id) + '/password', { method: 'POST', body: { password: password.value } }).then(function () {
        form.hidden = true;
        password.value = '';
        fill(message, notice('ok', t('users.passwordReset', u.username)));
      }, function (err) {
        fill(message, notice('error', errorText(err)));
      });
    }
  }, password, h('button', { type: 'submit', class: 'btn small primary' }, t('action.save')));
  const open = h('button', {
    type: 'button', class: 'btn small', onclick: function () {
      form.hidden = !form.hidden;
      if (!form.hidden) {
        password.focus();
      }
    }
  }, t('users.resetPassword'));
  return h('div', null, open, form);
}
