// 覆盖率: how much of "全学科、全章节" is really covered — per volume and unit, with the lessons that still have
// no resource (each a link to the catalog, where "upload to this lesson" is one click away).
//
// Filters cascade down the catalog: each select lists the children of the one before it and is named by
// their kind (stage, subject, edition, grade, volume). The values are the nodes' titles, as the coverage API
// (like the search facets) takes them: 小学 › 数学 › 人教版 reads the same in the address, the report and the CSV.

import { t, term } from '../i18n.js';
import { api, url } from '../api.js';
import { h, fill, loadError, pathText } from '../dom.js';
import { go, href, paramsObject } from '../router.js';

const LEVELS = ['stage', 'subject', 'edition', 'grade', 'volume'];
const TYPES = ['video', 'courseware', 'lesson_design', 'task_sheet', 'exercise', 'material', 'textbook', 'recording'];

export function render(view, route) {
  const state = paramsObject(route.params);
  const filters = h('div', { class: 'filters' });
  const report = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  const query = {};
  LEVELS.concat(['type']).forEach(function (k) { query[k] = state[k]; });
  // download without a name: the server's Content-Disposition names the file (覆盖率-coverage.csv).
  const csv = h('a', { class: 'btn', id: 'coverage-csv', href: url('/reports/coverage', Object.assign({ format: 'csv' }, query)), download: '' },
    t('coverage.csv'));

  view.appendChild(h('div', { class: 'title-row spread' }, h('h1', null, t('coverage.title')), csv));
  view.appendChild(h('div', { class: 'card' }, filters));
  view.appendChild(report);

  function choose(name, value) {
    const next = Object.assign({}, state);
    next[name] = value || null;
    // a new choice invalidates every level below it
    LEVELS.slice(LEVELS.indexOf(name) + 1).forEach(function (k) { next[k] = null; });
    go('coverage', next);
  }

  function typeSelect() {
    return h('label', { class: 'field' }, t('facet.type'),
      h('select', { id: 'coverage-type', onchange: function (e) { choose('type', e.target.value); } },
        h('option', { value: '' }, t('coverage.any')),
        TYPES.map(function (v) { return h('option', { value: v, selected: state.type === v }, term('type', v)); })));
  }

  // One select per level, each filled from the children of the previous choice (found by its title).
  function cascade(parentId, into) {
    return api('/catalog/nodes', { query: { parentId: parentId } }).then(function (nodes) {
      if (!nodes.length || LEVELS.indexOf(nodes[0].kind) < 0) {
        return;
      }
      const kind = nodes[0].kind;
      const chosen = state[kind];
      into.appendChild(h('label', { class: 'field' }, t('facet.' + kind),
        h('select', { 'data-level': kind, onchange: function (e) { choose(kind, e.target.value); } },
          h('option', { value: '' }, t('coverage.any')),
          nodes.map(function (n) { return h('option', { value: n.title, selected: chosen === n.title }, n.title); }))));
      const next = nodes.filter(function (n) { return n.title === chosen; })[0];
      return next ? cascade(next.id, into) : undefined;
    });
  }

  const levels = h('div', { class: 'filter-row' });
  fill(filters, levels, h('div', { class: 'filter-row' }, typeSelect()));
  cascade(null, levels).catch(function (err) {
    levels.appendChild(loadError(err));
  });

  function load() {
    api('/reports/coverage', { query: query }).then(function (res) {
      const volumes = res.volumes || [];
      fill(report, volumes.length ? volumes.map(volumeCard) : h('p', { class: 'muted' }, t('coverage.none')));
    }, function (err) {
      fill(report, loadError(err, load));
    });
  }

  load();
}

function level(percent) {
  return percent >= 80 ? 'high' : percent >= 40 ? 'mid' : 'low';
}

function bar(percent) {
  const p = Math.max(0, Math.min(100, Math.round(percent || 0)));
  return h('div', { class: 'bar ' + level(p), role: 'img', 'aria-label': p + '%' },
    h('div', { class: 'bar-fill', style: { width: p + '%' } }));
}

function volumeCard(v) {
  return h('section', { class: 'card coverage-volume' },
    h('h2', null, pathText(v.path)),
    h('div', { class: 'coverage-line' }, bar(v.percent), h('strong', null, Math.round(v.percent || 0) + '%'),
      h('span', { class: 'muted' }, t('coverage.lessons', v.covered, v.lessons))),
    h('table', { class: 'table coverage-units' },
      h('tbody', null, (v.units || []).map(unitRow))));
}

function unitRow(u) {
  const missing = u.missing || [];
  return h('tr', null,
    h('th', { scope: 'row' }, u.title,
      missing.length ? h('details', { class: 'missing' },
        h('summary', null, t('coverage.missing', missing.length)),
        h('ul', { class: 'plain' }, missing.map(function (m) {
          return h('li', null, h('a', { href: href('catalog', { node: m.id }) }, m.title));
        }))) : h('div', { class: 'muted small' }, t('coverage.complete'))),
    h('td', { class: 'bar-cell' }, bar(u.percent)),
    h('td', { class: 'num' }, Math.round(u.percent || 0) + '%'),
    h('td', { class: 'num muted' }, u.covered + ' / ' + u.lessons));
}
