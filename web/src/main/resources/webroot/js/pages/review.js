// 审核: the queue of submitted resources for school and district admins; approve, or reject with a reason.

import { t } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, loadError, pager, formatDate } from '../dom.js';
import { go, href } from '../router.js';
import { typeBadge } from '../hits.js';
import { curationActions } from '../curation.js';

const SIZE = 20;

export function render(view, route) {
  const page = Math.max(1, parseInt(route.params.get('page'), 10) || 1);
  const message = h('div', { 'aria-live': 'polite' });
  const list = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  view.appendChild(h('h1', null, t('review.title')));
  view.appendChild(message);
  view.appendChild(list);

  function load() {
    api('/resources', { query: { status: 'submitted', page: page, size: SIZE } }).then(function (res) {
      fill(list, res.items.length ? h('ul', { class: 'rows' }, res.items.map(row)) : h('p', { class: 'muted' }, t('review.none')),
        res.total > SIZE ? pager(page, SIZE, res.total, function (p) { go('review', { page: p }); }) : null);
    }, function (err) {
      fill(list, loadError(err, load));
    });
  }

  function row(r) {
    const li = h('li', { class: 'row' },
      h('div', { class: 'row-head' }, typeBadge(r.type), h('a', { href: href('resource/' + encodeURIComponent(r.id)) }, r.title)),
      h('div', { class: 'muted small' }, r.owner ? t('review.submittedBy', r.owner.displayName) + ' · ' : '', formatDate(r.updatedAt)),
      curationActions(r, function (action) {
        li.parentNode.removeChild(li);
        fill(message, notice('ok', t(action === 'approve' ? 'review.approved' : 'review.rejected', r.title)));
      }));
    return li;
  }

  load();
}
