// 目录: browse the textbook tree; a selected node shows its path, its resources and "upload to this lesson".
// The address keeps the selected node (#/catalog?node=ID) so a teacher can bookmark a lesson.

import { t, term } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, loadError, pathText } from '../dom.js';
import { href, replace } from '../router.js';
import { createTree } from '../tree.js';
import { hitList } from '../hits.js';

const UPLOADABLE = { lesson: true, section: true, unit: true };
const SIZE = 20;

export function render(view, route) {
  const detail = h('div', { class: 'detail', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('catalog.pick')));
  const tree = createTree({
    onSelect: function (node) {
      replace('catalog', { node: node.id });
      show(node.id);
    }
  });
  view.appendChild(h('h1', null, t('catalog.title')));
  view.appendChild(h('div', { class: 'split' }, h('div', { class: 'card tree-card' }, tree.element), detail));

  function show(id) {
    fill(detail, h('p', { class: 'muted' }, t('app.loading')));
    return api('/catalog/nodes/' + encodeURIComponent(id)).then(function (node) {
      fill(detail, describe(node));
      return node;
    }, function (err) {
      fill(detail, loadError(err, function () { show(id); }));
      return null;
    });
  }

  function describe(node) {
    const resources = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
    const actions = h('div', { class: 'actions' });
    if (UPLOADABLE[node.kind]) {
      actions.appendChild(h('a', { class: 'btn primary', href: href('upload', { node: node.id }) }, t('catalog.upload')));
    } else if (node.kind === 'volume') {
      actions.appendChild(h('a', { class: 'btn primary', href: href('upload', { node: node.id, type: 'textbook' }) },
        t('catalog.uploadTextbook')));
    }
    actions.appendChild(h('a', { class: 'btn', id: 'catalog-more', href: href('search', { node: node.id }) }, t('catalog.moreInSearch')));
    loadResources(node, resources);
    return h('div', { class: 'card' },
      h('div', { class: 'path muted' }, pathText(ancestors(node))),
      h('h2', null, h('span', { class: 'kind kind-' + node.kind }, term('kind', node.kind)), ' ', node.title),
      actions,
      h('h3', null, t('catalog.resources')),
      resources);
  }

  // Published resources attached to this node or anywhere below it (a unit shows its lessons' resources too).
  function loadResources(node, into) {
    api('/search', { query: { node: node.id, size: SIZE, sort: 'newest' } }).then(function (res) {
      fill(into, res.hits.length ? hitList(res.hits) : h('p', { class: 'muted' }, t('catalog.noResources')),
        res.total > SIZE ? h('p', { class: 'muted' }, t('catalog.more', res.total - SIZE)) : null);
    }, function (err) {
      fill(into, loadError(err, function () { loadResources(node, into); }));
    });
  }

  const start = route.params.get('node');
  if (start) {
    show(start).then(function (node) {
      if (node) {
        tree.reveal(ancestors(node).concat([node]));
      }
    });
  }
}

/** The node's path without the node itself, whether or not the server included it. */
function ancestors(node) {
  return (node.path || []).filter(function (p) {
    return p.id !== node.id;
  });
}
