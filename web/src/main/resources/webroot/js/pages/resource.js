// 资源: metadata, where it sits in the catalog, an inline preview when the browser can show the file,
// download, and the curation story (status, history; submit for the owner, approve/reject for admins).

import { t, term } from '../i18n.js';
import { api, url } from '../api.js';
import { h, fill, notice, loadError, errorText, formatBytes, formatDate, pathText } from '../dom.js';
import { href } from '../router.js';
import { currentUser, isAdmin } from '../session.js';
import { typeBadge, statusBadge } from '../hits.js';
import { curationActions } from '../curation.js';
import { mediaCard } from '../player.js';

export function render(view, route) {
  const id = route.id;

  function load() {
    fill(view, h('p', { class: 'muted' }, t('app.loading')));
    api('/resources/' + encodeURIComponent(id)).then(function (r) {
      fill(view, page(r));
    }, function (err) {
      fill(view, loadError(err, load));
    });
  }

  function page(r) {
    const user = currentUser();
    const mine = !!(user && r.owner && r.owner.id === user.id);
    const message = h('div', { 'aria-live': 'polite' });
    return [
      h('div', { class: 'title-row' },
        typeBadge(r.type), statusBadge(r.status), r.featured ? h('span', { class: 'badge featured' }, t('resource.featured')) : null),
      h('h1', { id: 'resource-title' }, r.title),
      message,
      actions(r, mine, message),
      r.description ? h('p', { class: 'description' }, r.description) : null,
      h('div', { class: 'split even' },
        h('div', { class: 'card' }, facts(r)),
        h('div', { class: 'card' }, h('h2', null, t('resource.catalog')), catalogPaths(r))),
      h('div', { class: 'card' }, h('h2', null, t('resource.preview')), preview(r)),
      h('div', { class: 'card' }, h('h2', null, t('resource.history')), history(r.transitions || []))
    ];
  }

  function actions(r, mine, message) {
    const row = h('div', { class: 'actions' });
    if (r.file) {
      row.appendChild(h('a', { class: 'btn primary', href: fileUrl(r, true), download: r.file.name }, t('resource.download')));
    }
    if (mine && !r.file && (r.status === 'draft' || r.status === 'rejected')) {
      row.appendChild(h('a', { class: 'btn', href: href('upload', { resource: r.id }) }, t('resource.uploadFile')));
    }
    if (mine && (r.status === 'draft' || r.status === 'rejected')) {
      const submit = h('button', {
        type: 'button', class: 'btn primary', id: 'resource-submit', onclick: function () {
          submit.disabled = true;
          api('/resources/' + encodeURIComponent(r.id) + '/submit', { method: 'POST', body: {} }).then(load, function (err) {
            fill(message, notice('error', errorText(err)));
            submit.disabled = false;
          });
        }
      }, t('resource.submit'));
      row.appendChild(submit);
    }
    const out = h('div', null, row);
    if (r.status === 'submitted' && isAdmin()) {
      out.appendChild(curationActions(r, load));
    }
    return out;
  }

  function facts(r) {
    const rows = [
      ['resource.status', term('status', r.status)],
      ['resource.scope', r.scope ? term('scope', r.scope) : ''],
      ['resource.owner', r.owner ? r.owner.displayName : ''],
      ['resource.file', r.file ? r.file.name + '（' + formatBytes(r.file.size) + '）' : t('resource.noFile')],
      ['resource.tags', (r.tags || []).join('、')],
      ['resource.views', String(r.viewCount || 0)],
      ['resource.downloads', String(r.downloadCount || 0)],
      ['resource.created', formatDate(r.createdAt)],
      ['resource.updated', formatDate(r.updatedAt)],
      ['resource.published', formatDate(r.publishedAt)]
    ].filter(function (row) { return row[1]; });
    return h('dl', { class: 'facts' }, rows.map(function (row) {
      return [h('dt', null, t(row[0])), h('dd', null, row[1])];
    }));
  }

  function catalogPaths(r) {
    const nodes = r.catalogNodes || [];
    if (!nodes.length) {
      return h('p', { class: 'muted' }, t('empty'));
    }
    return h('ul', { class: 'plain' }, nodes.map(function (n) {
      return h('li', null, h('a', { href: href('catalog', { node: n.id }) }, pathText(n.path) || n.id));
    }));
  }

  function history(transitions) {
    if (!transitions.length) {
      return h('p', { class: 'muted' }, t('history.none'));
    }
    return h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['history.at', 'history.from', 'history.to', 'history.actor', 'history.reason'].map(function (k) {
        return h('th', null, t(k));
      }))),
      h('tbody', null, transitions.map(function (tr) {
        return h('tr', null,
          h('td', null, formatDate(tr.at)),
          h('td', null, tr.from ? term('status', tr.from) : ''),
          h('td', null, term('status', tr.to)),
          h('td', null, actorName(tr.actor)),
          h('td', null, tr.reason || ''));
      })));
  }

  load();
}

function actorName(actor) {
  if (!actor) {
    return '';
  }
  return typeof actor === 'string' ? actor : actor.displayName || actor.username || actor.id;
}

function fileUrl(r, download) {
  return url('/resources/' + encodeURIComponent(r.id) + '/file', download ? { download: 1 } : null);
}

// Inline only what every supported browser shows natively; everything else is a download.
function preview(r) {
  const f = r.file;
  if (!f) {
    return h('p', { class: 'muted' }, t('resource.noFile'));
  }
  if (r.type === 'video' || r.type === 'recording') {
    return mediaCard(r.id); // adaptive HLS once transcoded, with its progress until then
  }
  const type = (f.contentType || '').toLowerCase();
  const src = fileUrl(r, false);
  if (type === 'application/pdf') {
    return h('iframe', { class: 'preview pdf', src: src, title: r.title });
  }
  if (type.indexOf('image/') === 0) {
    return h('img', { class: 'preview', src: src, alt: r.title });
  }
  if (type === 'video/mp4' || type === 'video/webm') {
    // preload=metadata: a village link should not fetch a whole lesson video before Play is pressed
    return h('video', { class: 'preview', src: src, controls: true, preload: 'metadata' });
  }
  if (type.indexOf('audio/') === 0) {
    return h('audio', { src: src, controls: true, preload: 'metadata' });
  }
  return h('p', null, t('resource.noPreview'), ' ',
    h('a', { href: fileUrl(r, true), download: f.name }, t('resource.download') + '：' + f.name));
}
