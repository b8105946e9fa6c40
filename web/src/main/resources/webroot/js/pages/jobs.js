// 转码: the admins' list of transcode jobs, newest first, filtered by status; cancel a queued or running job,
// retry a failed or cancelled one. Each row links to its resource.

import { t } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, loadError, pager, formatDate, errorText } from '../dom.js';
import { go, href } from '../router.js';

const SIZE = 20;
const STATUSES = ['', 'queued', 'running', 'failed', 'succeeded', 'cancelled'];

export function render(view, route) {
  const page = Math.max(1, parseInt(route.params.get('page'), 10) || 1);
  const status = route.params.get('status') || '';
  const message = h('div', { 'aria-live': 'polite' });
  const list = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  const filter = h('select', { id: 'jobs-status', 'aria-label': t('jobs.status') }, STATUSES.map(function (s) {
    return h('option', { value: s, selected: s === status }, s ? t('jobs.status.' + s) : t('jobs.all'));
  }));
  filter.addEventListener('change', function () { go('jobs', { status: filter.value }); });
  view.appendChild(h('h1', null, t('jobs.title')));
  view.appendChild(h('div', { class: 'actions' }, h('label', null, t('jobs.status') + ' ', filter)));
  view.appendChild(message);
  view.appendChild(list);

  function load() {
    api('/transcode-jobs', { query: { status: status, page: page, size: SIZE } }).then(function (res) {
      fill(list, res.items.length ? h('table', { class: 'table', id: 'jobs-table' },
        h('thead', null, h('tr', null, ['jobs.resource', 'jobs.status', 'jobs.progress', 'jobs.attempts', 'jobs.created', 'jobs.reason', '']
          .map(function (k) { return h('th', null, k ? t(k) : ''); }))),
        h('tbody', null, res.items.map(row))) : h('p', { class: 'muted' }, t('jobs.none')),
      res.total > SIZE ? pager(page, SIZE, res.total, function (p) { go('jobs', { status: status, page: p }); }) : null);
    }, function (err) {
      fill(list, loadError(err, load));
    });
  }

  function act(job, action) {
    api('/transcode-jobs/' + encodeURIComponent(job.id) + '/' + action, { method: 'POST', body: {} }).then(function () {
      fill(message, notice('ok', t(action === 'cancel' ? 'jobs.didCancel' : 'jobs.didRetry', job.resourceTitle)));
      load();
    }, function (err) {
      fill(message, notice('error', errorText(err)));
    });
  }

  function row(job) {
    let button = null;
    if (job.status === 'queued' || job.status === 'running') {
      button = h('button', { type: 'button', class: 'btn', onclick: function () { act(job, 'cancel'); } }, t('jobs.cancel'));
    } else if (job.status === 'failed' || job.status === 'cancelled') {
      button = h('button', { type: 'button', class: 'btn', onclick: function () { act(job, 'retry'); } }, t('jobs.retry'));
    }
    return h('tr', { 'data-job': job.id },
      h('td', null, h('a', { href: href('resource/' + encodeURIComponent(job.resourceId)) }, job.resourceTitle)),
      h('td', null, t('jobs.status.' + job.status)),
      h('td', null, job.progress + '%'),
      h('td', null, String(job.attempts)),
      h('td', null, formatDate(job.createdAt)),
      h('td', null, job.error ? job.error.message : ''),
      h('td', null, button));
  }

  load();
}
