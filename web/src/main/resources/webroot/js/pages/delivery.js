// 开课情况: what supervisors read — per pairing or alliance and month, the occurrences due, held and cancelled and
// the share held (开课比), as a chart and a table, and the hours taught from each lead classroom per week. The
// chart is inline SVG drawn here (one bar per group and month), so no chart library travels to county PCs.
// The choice lives in the address (#/delivery?kind=pairing&from=…&to=…); the CSV link carries the same query.

import { t } from '../i18n.js';
import { api, url } from '../api.js';
import { h, fill, loadError } from '../dom.js';
import { go, paramsObject } from '../router.js';
import * as S from '../schedule.js';

const SVG = 'http://www.w3.org/2000/svg';
const KINDS = ['pairing', 'alliance'];

export function render(view, route) {
  const state = paramsObject(route.params);
  const now = S.today();
  const query = {
    kind: KINDS.indexOf(state.kind) >= 0 ? state.kind : 'pairing',
    from: S.isDate(state.from) ? state.from : S.monthStart(now, -5),
    to: S.isDate(state.to) ? state.to : now
  };
  const report = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  // download without a name: the server's Content-Disposition names the file (开课情况-delivery.csv).
  const csv = h('a', { class: 'btn', id: 'delivery-csv', href: url('/reports/delivery', Object.assign({ format: 'csv' }, query)), download: '' },
    t('delivery.csv'));

  const kind = h('select', { id: 'delivery-kind' }, KINDS.map(function (k) {
    return h('option', { value: k, selected: k === query.kind }, t('delivery.kind.' + k));
  }));
  const from = h('input', { type: 'date', id: 'delivery-from', value: query.from });
  const to = h('input', { type: 'date', id: 'delivery-to', value: query.to });
  function apply(e) {
    if (e) {
      e.preventDefault();
    }
    go('delivery', { kind: kind.value, from: from.value, to: to.value });
  }
  kind.addEventListener('change', apply);

  view.appendChild(h('div', { class: 'title-row spread' }, h('h1', null, t('delivery.title')), csv));
  view.appendChild(h('form', { class: 'card', onsubmit: apply }, h('div', { class: 'filter-row' },
    h('label', { class: 'field' }, t('delivery.kind'), kind),
    h('label', { class: 'field' }, t('delivery.from'), from),
    h('label', { class: 'field' }, t('delivery.to'), to),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'btn primary' }, t('delivery.apply'))))));
  view.appendChild(report);

  function load() {
    api('/reports/delivery', { query: query }).then(function (res) {
      const groups = res.groups || [];
      fill(report,
        h('section', { class: 'card' }, h('h2', null, t('delivery.chart')),
          groups.length ? chart(groups) : h('p', { class: 'muted', id: 'delivery-none' }, t('delivery.none', t('delivery.kind.' + res.kind)))),
        groups.length ? h('section', { class: 'card' }, h('h2', null, t('delivery.table')), table(groups)) : null,
        h('section', { class: 'card' }, h('h2', null, t('delivery.hours')), hoursTable(res.classroomHours || [])));
    }, function (err) {
      fill(report, loadError(err, load));
    });
  }

  load();
}

function percent(share) {
  return Math.round((share || 0) * 1000) / 10 + '%';
}

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (k) {
    el.setAttribute(k, String(attrs[k]));
  });
  Array.prototype.slice.call(arguments, 2).forEach(function (c) {
    if (c !== null && c !== undefined) {
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
  });
  return el;
}

/**
 * Bars of 开课比 (0–100%), one per group and month, grouped by group with the group's name underneath. The
 * viewBox scales with the page; the month labels are "MM" under each bar, the year being plain from the range.
 */
function chart(groups) {
  const bar = 34;
  const gap = 6;
  const groupGap = 28;
  const left = 44;
  const top = 20; // room for the value above a full bar
  const plot = 180;
  const bottom = 56;
  let x = left + groupGap / 2;
  const parts = [];
  groups.forEach(function (g, gi) {
    const startX = x;
    g.months.forEach(function (m) {
      const value = Math.max(0, Math.min(1, m.shareHeld || 0));
      const height = Math.max(value * plot, value > 0 ? 1 : 0);
      const label = g.name + ' ' + m.month + '：' + t('delivery.shareLine', percent(m.shareHeld), m.held, m.due);
      parts.push(svg('rect', {
        class: 'chart-bar series-' + (gi % 6), x: x, y: top + plot - height, width: bar, height: height,
        'data-group': g.id, 'data-month': m.month, 'data-share': m.shareHeld, role: 'img', 'aria-label': label
      }, svg('title', null, label)));
      parts.push(svg('text', { class: 'chart-value', x: x + bar / 2, y: top + plot - height - 4, 'text-anchor': 'middle' }, percent(m.shareHeld)));
      parts.push(svg('text', { class: 'chart-month', x: x + bar / 2, y: top + plot + 14, 'text-anchor': 'middle' }, m.month.substring(5)));
      x += bar + gap;
    });
    const endX = x - gap;
    parts.push(svg('text', { class: 'chart-group', x: (startX + endX) / 2, y: top + plot + 34, 'text-anchor': 'middle' }, g.name));
    x = endX + groupGap;
  });
  const width = Math.max(x, 320);
  const height = top + plot + bottom;
  const root = svg('svg', {
    id: 'delivery-chart', class: 'chart', viewBox: '0 0 ' + width + ' ' + height, width: width, height: height,
    role: 'img', 'aria-label': t('delivery.chartLabel')
  }, svg('title', null, t('delivery.chartLabel')));
  [0, 0.5, 1].forEach(function (v) {
    const y = top + plot - v * plot;
    root.appendChild(svg('g', { class: 'chart-grid' },
      svg('line', { x1: left, x2: width, y1: y, y2: y }),
      svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, v * 100 + '%')));
  });
  parts.forEach(function (p) { root.appendChild(p); });
  return h('div', { class: 'chart-wrap' }, root);
}

function table(groups) {
  const rows = [];
  groups.forEach(function (g) {
    g.months.concat([g.total]).forEach(function (m, i) {
      const total = m.month === 'total';
      rows.push(h('tr', { class: total ? 'total' : null, 'data-group': g.id, 'data-month': m.month },
        i === 0 ? h('th', { scope: 'rowgroup', rowspan: g.months.length + 1 }, g.name) : null,
        h('td', null, total ? t('delivery.total') : m.month),
        h('td', { class: 'num' }, String(m.due)),
        h('td', { class: 'num' }, String(m.held)),
        h('td', { class: 'num' }, String(m.cancelled)),
        h('td', { class: 'num' }, percent(m.shareHeld))));
    });
  });
  return h('table', { class: 'table', id: 'delivery-table' },
    h('thead', null, h('tr', null, ['delivery.group', 'delivery.month', 'delivery.due', 'delivery.held', 'delivery.cancelled', 'delivery.share']
      .map(function (k, i) { return h('th', { class: i >= 2 ? 'num' : null }, t(k)); }))),
    h('tbody', null, rows));
}

function hoursTable(hours) {
  if (!hours.length) {
    return h('p', { class: 'muted' }, t('delivery.noHours'));
  }
  return h('table', { class: 'table', id: 'delivery-hours' },
    h('thead', null, h('tr', null, ['delivery.school', 'delivery.classroom', 'delivery.week', 'delivery.hoursCol']
      .map(function (k, i) { return h('th', { class: i === 3 ? 'num' : null }, t(k)); }))),
    h('tbody', null, hours.map(function (x) {
      return h('tr', null, h('td', null, x.school), h('td', null, x.classroom), h('td', null, x.week), h('td', { class: 'num' }, String(x.hours)));
    })));
}
