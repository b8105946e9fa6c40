// 搜索: query box with suggestions, facets as toggles, sort and paging. All state lives in the address
// (#/search?q=…&subject=…&node=…&page=2), so Back works and a result page can be shared. node is a catalog
// node id: only what is attached to it or below it.

import { t, term } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, loadError, pager, pathText } from '../dom.js';
import { go, paramsObject } from '../router.js';
import { hitList } from '../hits.js';
import { suggestBox } from '../suggest.js';

const FACETS = ['stage', 'subject', 'edition', 'grade', 'type'];
const SORTS = ['relevance', 'newest', 'most_viewed'];
const SIZE = 20;

export function render(view, route) {
  const state = paramsObject(route.params);
  const page = Math.max(1, parseInt(state.page, 10) || 1);

  function navigate(changes) {
    const next = Object.assign({}, state, { page: null }, changes);
    go('search', next);
  }

  const box = suggestBox({
    value: state.q || '',
    placeholder: t('search.placeholder'),
    onSubmit: function (q) { navigate({ q: q }); }
  });
  const sort = h('select', {
    id: 'search-sort', onchange: function () { navigate({ sort: sort.value === 'relevance' ? null : sort.value }); }
  }, SORTS.map(function (s) {
    return h('option', { value: s, selected: (state.sort || 'relevance') === s }, t('sort.' + s));
  }));
  // Open beside the results on wide screens; folded above them on phones so the hits come first.
  const facets = h('details', { class: 'facets card', open: window.innerWidth > 760 });
  const facetBody = h('div');
  facets.appendChild(h('summary', null, t('search.filters')));
  facets.appendChild(facetBody);
  const results = h('div', { class: 'results' }, h('p', { class: 'muted' }, t('app.loading')));

  view.appendChild(h('h1', null, t('search.title')));
  view.appendChild(box.element);
  view.appendChild(h('div', { class: 'toolbar' }, chips(), h('label', { class: 'inline' }, t('search.sort'), ' ', sort)));
  view.appendChild(h('div', { class: 'split' }, facets, results));

  function chip(label, change) {
    return h('button', {
      type: 'button', class: 'chip', 'aria-label': t('search.removeFilter', label),
      onclick: function () { navigate(change); }
    }, label, ' ×');
  }

  // A catalog node (from "see all in search" on the catalog page) is shown by its path, fetched once.
  function nodeChip() {
    const el = chip(t('search.inCatalog', '…'), { node: null });
    api('/catalog/nodes/' + encodeURIComponent(state.node)).then(function (node) {
      fill(el, t('search.inCatalog', pathText(node.path || [])), ' ×');
      el.setAttribute('aria-label', t('search.removeFilter', el.textContent));
    }, function () {
      // the chip still removes the filter; the path is only a label
    });
    return el;
  }

  function chips() {
    const active = FACETS.filter(function (f) { return state[f]; });
    const all = active.length + (state.node ? 1 : 0);
    if (!all) {
      return h('span');
    }
    return h('div', { class: 'chips' }, state.node ? nodeChip() : null, active.map(function (f) {
      const change = {};
      change[f] = null;
      return chip(t('facet.' + f) + '：' + (f === 'type' ? term('type', state[f]) : state[f]), change);
    }), all > 1 ? h('button', {
      type: 'button', class: 'link', onclick: function () {
        const none = { node: null };
        FACETS.forEach(function (f) { none[f] = null; });
        navigate(none);
      }
    }, t('search.clearFilters')) : null);
  }

  function facetGroups(data) {
    return FACETS.filter(function (f) { return data[f] && data[f].length; }).map(function (f) {
      return h('section', { class: 'facet' },
        h('h3', null, t('facet.' + f)),
        h('ul', null, data[f].map(function (b) {
          const on = state[f] === String(b.value);
          const change = {};
          change[f] = on ? null : b.value;
          return h('li', null, h('button', {
            type: 'button', class: 'facet-value' + (on ? ' on' : ''), 'aria-pressed': String(on),
            onclick: function () { navigate(change); }
          }, h('span', null, f === 'type' ? term('type', b.value) : String(b.value)), h('span', { class: 'count' }, String(b.count))));
        })));
    });
  }

  function load() {
    fill(results, h('p', { class: 'muted' }, t('app.loading')));
    const query = { q: state.q, sort: state.sort, page: page, size: SIZE };
    FACETS.concat(['scope', 'node']).forEach(function (f) { query[f] = state[f]; });
    api('/search', { query: query }).then(function (res) {
      fill(facetBody, facetGroups(res.facets || {}));
      fill(results,
        h('p', { class: 'muted', id: 'search-total' }, t('search.total', res.total)),
        res.hits.length ? hitList(res.hits) : h('p', { class: 'notice' }, t('search.none')),
        res.total > SIZE ? pager(page, SIZE, res.total, function (p) { go('search', Object.assign({}, state, { page: p })); }) : null);
    }, function (err) {
      fill(facetBody);
      fill(results, loadError(err, load));
    });
  }

  load();
}
