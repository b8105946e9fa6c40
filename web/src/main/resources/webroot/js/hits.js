// A list of search hits, the same on the search page and under a catalog node.

import { term } from './i18n.js';
import { h, highlight, pathText } from './dom.js';
import { href } from './router.js';

export function typeBadge(type) {
  return h('span', { class: 'badge type-' + type }, term('type', type));
}

export function statusBadge(status) {
  return h('span', { class: 'badge status-' + status }, term('status', status));
}

export function hitList(hits) {
  return h('ol', { class: 'hits' }, hits.map(function (hit) {
    return h('li', { class: 'hit' },
      h('div', { class: 'hit-head' },
        typeBadge(hit.type),
        h('a', { class: 'hit-title', href: href('resource/' + encodeURIComponent(hit.id)) }, hit.title)),
      hit.catalogPath ? h('div', { class: 'path muted' }, pathText(hit.catalogPath)) : null,
      hit.highlight ? h('p', { class: 'snippet' }, highlight(hit.highlight)) : null);
  }));
}
