// A list of search hits, the same on the search page and under a catalog node.

import { t, term } from './i18n.js';
import { h, highlight, pathText } from './dom.js';
import { href } from './router.js';

export function typeBadge(type) {
  return h('span', { class: 'badge type-' + type }, term('type', type));
}

export function statusBadge(status) {
  return h('span', { class: 'badge status-' + status }, term('status', status));
}

// The server highlights either the title or the catalog path (whichever matched); the marks go where they
// belong instead of repeating that text in a third line.
export function hitList(hits) {
  return h('ol', { class: 'hits' }, hits.map(function (hit) {
    const marked = hit.highlight ? highlight(hit.highlight) : null;
    const text = marked ? marked.textContent : '';
    const inTitle = marked && text === hit.title;
    const inPath = marked && !inTitle && text === hit.catalogPath;
    return h('li', { class: 'hit' },
      h('div', { class: 'hit-head' },
        typeBadge(hit.type),
        h('a', { class: 'hit-title', href: href('resource/' + encodeURIComponent(hit.id)) }, inTitle ? marked : hit.title)),
      hit.catalogPath ? h('div', { class: 'path muted' }, inPath ? marked : pathText(hit.catalogPath)) : null,
      // Found in what was said: a link that starts the video at that moment.
      hit.moment ? h('div', { class: 'hit-moment' },
        h('a', { href: href('resource/' + encodeURIComponent(hit.id), { t: Math.floor(hit.moment.seconds) }) },
          '▶ ' + t('search.moment') + ' ' + clock(hit.moment.seconds)), ' ', h('q', null, hit.moment.text)) : null);
  }));
}

function clock(s) {
  s = Math.floor(s);
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}
