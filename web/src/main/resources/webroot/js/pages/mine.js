// 我的资源: the teacher's own resources by status; a rejected one shows why, so it can be fixed and resubmitted.

import { t } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, loadError, pager, formatDate } from '../dom.js';
import { go, href } from '../router.js';
import { typeBadge, statusBadge } from '../hits.js';

const STATUSES = ['', 'draft', 'submitted', 'published', 'rejected'];
const SIZE = 20;

export function render(view, route) {
  const status = route.params.get('status') || '';
  const page = Math.max(1, parseInt(route.params.get('page'), 10) || 1);
  const list = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  view.appendChild(h('h1', null, t('mine.title')));
  view.appendChild(h('nav', { class: 'tabs' }, STATUSES.map(function (s) {
    return h('a', { href: href('mine', { status: s }), class: s === status ? 'active' : null, 'aria-current': s === status ? 'page' : null },
      t(s ? 'status.' + s : 'status.all'));
  })));
  view.appendChild(list);

  function load() {
    api('/resources', { query: { mine: true, status: status, page: page, size: SIZE } }).then(function (res) {
      fill(list, res.items.length ? h('ul', { class: 'rows' }, res.items.map(row)) : h('p', { class: 'muted' }, t('mine.none')),
        res.total > SIZE ? pager(page, SIZE, res.total, function (p) { go('mine', { status: status, page: p }); }) : null);
    }, function (err) {
      fill(list, loadError(err, load));
    });
  }

  load();
}

function row(r) {
  const reason = rejectionReason(r);
  return h('li', { class: 'row' },
    h('div', { class: 'row-head' }, statusBadge(r.status), typeBadge(r.type),
      h('a', { href: href('resource/' + encodeURIComponent(r.id)) }, r.title)),
    h('div', { class: 'muted small' }, formatDate(r.updatedAt || r.createdAt)),
    reason ? h('p', { class: 'notice error' }, t('mine.rejectedReason', reason)) : null);
}

// The reason of the latest rejection, from the summary's transitions when it carries them.
function rejectionReason(r) {
  if (r.status !== 'rejected') {
    return null;
  }
  if (r.rejectionReason || r.reason) {
    return r.rejectionReason || r.reason;
  }
  const rejected = (r.transitions || []).filter(function (tr) { return tr.to === 'rejected'; });
  return rejected.length ? rejected[rejected.length - 1].reason : null;
}
