// 课表: one week (Monday to Sunday, 07:30–18:00) of the class sessions of a school, a teacher, a classroom or a
// class. The address holds the choice (#/calendar?schoolId=…&classroomId=…&week=2026-09-28), so a week can be
// bookmarked and the create form can send the admin to the week of a new session. A block opens the session's
// details; an admin of its lead school cancels or moves that one occurrence there.
//
// Teachers start on their own timetable; admins on their school's. Times are the schools' wall clock.

import { t, term } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, clear, notice, loadError, errorText } from '../dom.js';
import { go, href, replace, paramsObject } from '../router.js';
import { currentUser, isAdmin, hasRole } from '../session.js';
import * as S from '../schedule.js';

const DAY_START = 7 * 60 + 30;
const DAY_END = 18 * 60;
// The filters more specific than a school; the calendar API takes exactly one filter.
const BY = { teacher: 'teacherId', classroom: 'classroomId', class: 'classId' };

export function render(view, route) {
  const me = currentUser();
  const state = paramsObject(route.params);
  let by = Object.keys(BY).filter(function (k) { return state[BY[k]]; })[0] || (state.by in BY ? state.by : 'school');
  if (!state.schoolId && !state.teacherId && !state.classroomId && !state.classId) {
    if (!isAdmin()) {
      by = 'teacher';
      state.teacherId = me.id;
    }
    state.schoolId = me.schoolId || null;
  }
  const week = S.monday(S.isDate(state.week) ? state.week : S.today());
  const days = [0, 1, 2, 3, 4, 5, 6].map(function (i) { return S.addDays(week, i); });

  const filters = h('div', { class: 'filter-row' });
  const grid = h('div', { class: 'week', id: 'calendar-grid' }, h('p', { class: 'muted' }, t('app.loading')));
  const detail = h('div', { id: 'session-detail', 'aria-live': 'polite' });

  function goWeek(date) {
    go('calendar', Object.assign({}, state, { week: date, session: null }));
  }

  view.appendChild(h('div', { class: 'title-row spread' }, h('h1', null, t('calendar.title')),
    isAdmin() ? h('a', { class: 'btn', href: href('schedule', { leadSchoolId: state.schoolId, date: days[0] }) }, t('calendar.new')) : null));
  view.appendChild(h('div', { class: 'card' }, filters,
    h('div', { class: 'actions week-nav' },
      h('button', { type: 'button', class: 'btn', id: 'calendar-prev', onclick: function () { goWeek(S.addDays(week, -7)); } }, t('calendar.prev')),
      h('button', { type: 'button', class: 'btn', id: 'calendar-today', onclick: function () { goWeek(S.today()); } }, t('calendar.today')),
      h('button', { type: 'button', class: 'btn', id: 'calendar-next', onclick: function () { goWeek(S.addDays(week, 7)); } }, t('calendar.next')),
      h('strong', { id: 'calendar-week' }, t('calendar.week', days[0], days[6])))));
  view.appendChild(grid);
  view.appendChild(detail);

  let schools = {};
  let terms = [];
  let teachers = {};
  let occurrences = [];

  function choose(next) {
    go('calendar', Object.assign({ week: week }, next));
  }

  // The filters: what to look at (school, teacher, classroom, class), the school, and the one object of it.
  function renderFilters(objects) {
    const bySelect = h('select', { id: 'calendar-by' }, ['school', 'teacher', 'classroom', 'class'].map(function (k) {
      return h('option', { value: k, selected: k === by }, t('calendar.by.' + k));
    }));
    bySelect.addEventListener('change', function () {
      choose({ schoolId: state.schoolId, by: bySelect.value === 'school' ? null : bySelect.value });
    });
    const schoolSelect = h('select', { id: 'calendar-school' },
      state.schoolId ? null : h('option', { value: '' }, t('calendar.pickSchool')),
      Object.keys(schools).map(function (id) {
        return h('option', { value: id, selected: id === state.schoolId }, schools[id].name);
      }));
    schoolSelect.addEventListener('change', function () {
      choose({ schoolId: schoolSelect.value, by: by === 'school' ? null : by });
    });
    const fields = [h('label', { class: 'field' }, t('calendar.by'), bySelect), h('label', { class: 'field' }, t('calendar.school'), schoolSelect)];
    if (by !== 'school') {
      const objectSelect = h('select', { id: 'calendar-object' },
        objects.length ? null : h('option', { value: '' }, t('calendar.noObjects')),
        objects.map(function (o) {
          return h('option', { value: o.id, selected: o.id === state[BY[by]] }, o.label);
        }));
      objectSelect.addEventListener('change', function () {
        const next = { schoolId: state.schoolId };
        next[BY[by]] = objectSelect.value;
        choose(next);
      });
      fields.push(h('label', { class: 'field' }, t('calendar.by.' + by), objectSelect));
    }
    fill(filters, fields);
  }

  // The teachers, classrooms or classes of the chosen school, as {id, label}.
  function objectsOf() {
    if (by === 'school' || !state.schoolId) {
      return Promise.resolve([]);
    }
    if (by === 'teacher') {
      if (!isAdmin()) {
        return Promise.resolve([{ id: me.id, label: me.displayName || me.username }]);
      }
      return Promise.resolve(Object.keys(teachers).map(function (id) { return teachers[id]; })
        .filter(function (u) { return u.schoolId === state.schoolId; })
        .map(function (u) { return { id: u.id, label: u.displayName || u.username }; }));
    }
    return S.allPages(by === 'classroom' ? '/classrooms' : '/classes', { schoolId: state.schoolId }).then(function (items) {
      return items.map(function (i) { return { id: i.id, label: by === 'class' ? i.grade + i.name : i.name }; });
    });
  }

  function filterQuery() {
    const q = { from: days[0], to: days[6] };
    if (by !== 'school') {
      q[BY[by]] = state[BY[by]];
    } else {
      q.schoolId = state.schoolId;
    }
    return q;
  }

  function load() {
    const q = filterQuery();
    if (!q.schoolId && !q.teacherId && !q.classroomId && !q.classId) {
      fill(grid, notice('warn', t('calendar.pickFirst')));
      return Promise.resolve();
    }
    return api('/sessions', { query: q }).then(function (res) {
      occurrences = res.items;
      fill(grid, weekGrid());
      // what the grid shows, for the reader's tools and for tests waiting on the new week
      grid.setAttribute('data-filter', by + ':' + (by === 'school' ? state.schoolId : state[BY[by]]));
      grid.setAttribute('data-week', week);
    }, function (err) {
      fill(grid, loadError(err, load));
    });
  }

  function weekGrid() {
    const now = S.today();
    const head = h('div', { class: 'week-head' }, h('div', { class: 'gutter' }),
      days.map(function (d, i) {
        const holiday = S.holidayOn(terms, d);
        return h('div', { class: 'day-head' + (d === now ? ' today' : '') + (holiday ? ' holiday' : ''), 'data-date': d },
          h('div', { class: 'day-name' }, t('weekday.' + (i + 1))),
          h('div', { class: 'day-date' }, d.substring(5)),
          holiday ? h('div', { class: 'day-holiday' }, holiday.name) : null);
      }));
    const lines = h('div', { class: 'week-lines', 'aria-hidden': 'true' });
    const gutter = h('div', { class: 'gutter' });
    for (let m = 8 * 60; m <= DAY_END; m += 60) {
      lines.appendChild(h('div', { class: 'hour-line', style: { top: pct(m) } }));
      gutter.appendChild(h('div', { class: 'hour-label', style: { top: pct(m) } }, (m / 60 < 10 ? '0' : '') + m / 60 + ':00'));
    }
    const columns = days.map(function (d, i) {
      const col = h('div', { class: 'day-col', 'data-date': d, 'data-weekday': String(i + 1), role: 'list', 'aria-label': t('weekday.' + (i + 1)) + ' ' + d });
      layout(occurrences.filter(function (o) { return S.wall(o.startsAt).date === d; })).forEach(function (placed) {
        col.appendChild(block(placed));
      });
      return col;
    });
    return h('div', { class: 'week-inner' }, head, h('div', { class: 'week-body' }, lines, gutter, columns),
      occurrences.length ? null : h('p', { class: 'muted', id: 'calendar-empty' }, t('calendar.none')),
      legend());
  }

  function block(p) {
    const o = p.occurrence;
    const from = S.wall(o.startsAt);
    const to = S.wall(o.endsAt);
    const school = schools[o.leadSchoolId];
    const start = Math.max(DAY_START, Math.min(from.minutes, DAY_END - 15));
    const end = Math.max(start + 15, Math.min(to.date === from.date ? to.minutes : DAY_END, DAY_END));
    const label = from.time + '–' + to.time + ' ' + o.title + ' ' + term('sessionType', o.type)
      + (school ? ' ' + school.name : '') + (o.status !== 'scheduled' ? ' ' + term('occurrence', o.status) : '');
    return h('button', {
      type: 'button',
      class: 'occurrence type-' + o.type + ' status-' + o.status + (o.sessionId === state.session ? ' highlight' : ''),
      'data-occurrence': o.occurrenceId, 'data-session': o.sessionId, 'data-status': o.status, 'data-type': o.type,
      role: 'listitem', 'aria-label': label, title: label,
      style: { top: pct(start), height: ((end - start) * 100 / (DAY_END - DAY_START)) + '%', left: (p.lane * 100 / p.lanes) + '%', width: (100 / p.lanes) + '%' },
      onclick: function () { showDetail(o.sessionId, o.occurrenceId); }
    },
    // the status first, beside the time: a 40-minute block has room for two lines only
    h('span', { class: 'occ-line' }, h('span', { class: 'occ-time' }, from.time + '–' + to.time),
      o.status !== 'scheduled' ? h('span', { class: 'occ-status' }, term('occurrence', o.status)) : null),
    h('span', { class: 'occ-title' }, o.title),
    h('span', { class: 'occ-meta' }, term('sessionType', o.type) + (school ? ' · ' + school.name : '')));
  }

  function legend() {
    return h('ul', { class: 'legend' }, S.TYPES.map(function (type) {
      return h('li', { class: 'type-' + type }, h('span', { class: 'swatch' }), term('sessionType', type));
    }));
  }

  // --- details of one session, with the admin's actions on the chosen occurrence

  function canManage(session) {
    return hasRole('district_admin') || (hasRole('school_admin') && me.schoolId === session.leadSchoolId);
  }

  function showDetail(sessionId, occurrenceId) {
    fill(detail, h('p', { class: 'muted' }, t('app.loading')));
    return api('/sessions/' + encodeURIComponent(sessionId)).then(function (s) {
      return names([s.leadSchoolId].concat(s.receivers.map(function (r) { return r.schoolId; }))).then(function (n) {
        fill(detail, detailCard(s, s.occurrences.filter(function (o) { return o.id === occurrenceId; })[0], n));
        detail.scrollIntoView({ block: 'nearest' });
      });
    }, function (err) {
      fill(detail, loadError(err, function () { showDetail(sessionId, occurrenceId); }));
    });
  }

  function detailCard(s, occ, n) {
    const from = occ ? S.wall(occ.startsAt) : null;
    const to = occ ? S.wall(occ.endsAt) : null;
    const teacher = teachers[s.leadTeacherId] || (s.leadTeacherId === me.id ? me : null);
    const facts = [
      ['session.type', term('sessionType', s.type)],
      ['session.subject', s.grade + ' ' + s.subject],
      occ ? ['session.when', from.date + ' ' + t('weekday.' + S.weekday(from.date)) + ' ' + from.time + '–' + to.time] : null,
      occ ? ['session.status', term('occurrence', occ.status)] : null,
      ['session.lead', [schoolName(s.leadSchoolId), n.rooms[s.leadClassroomId], n.classes[s.leadClassId]].filter(Boolean).join(' · ')],
      teacher ? ['session.teacher', teacher.displayName || teacher.username] : null,
      ['session.repeat', s.weekly ? t('session.weekly', s.occurrences.length) : t('session.once')],
      ['session.media', [s.live ? t('session.live') : null, s.recording ? t('session.recording') : null, s.replay ? t('session.replay') : null]
        .filter(Boolean).join('、') || t('session.noMedia')],
      s.bellOverride ? ['session.bellOverride', s.bellOverride] : null,
      s.pairingOverride ? ['session.pairingOverride', s.pairingOverride] : null
    ].filter(Boolean);
    const actions = h('div', { class: 'occurrence-actions' });
    const result = h('div', { id: 'occurrence-result', 'aria-live': 'polite' });
    if (occ && occ.status === 'scheduled' && canManage(s)) {
      fill(actions, cancelControl(s, occ, result), moveControl(s, occ, from, to, result));
    }
    return h('section', { class: 'card session-detail', 'data-session': s.id, 'data-occurrence': occ ? occ.id : null },
      h('div', { class: 'title-row spread' }, h('h2', { id: 'session-title' }, s.title),
        h('button', { type: 'button', class: 'btn small', onclick: function () { clear(detail); } }, t('action.close'))),
      h('dl', { class: 'facts' }, facts.map(function (f) { return [h('dt', null, t(f[0])), h('dd', null, f[1])]; })),
      h('h3', null, t('session.receivers')),
      s.receivers.length ? h('ul', { class: 'plain', id: 'session-receivers' }, s.receivers.map(function (r) {
        return h('li', { 'data-school': r.schoolId },
          [schoolName(r.schoolId), n.rooms[r.classroomId], n.classes[r.classId]].filter(Boolean).join(' · '), ' ',
          h('span', { class: 'badge confirm-state' }, r.confirmedAt ? t('session.confirmed') : t('session.unconfirmed')),
          !r.confirmedAt && canConfirm(r) ? confirmControl(s, r, occ, result) : null);
      })) : h('p', { class: 'muted' }, t('session.noReceivers')),
      actions, result);
  }

  // the receiving school confirms that it takes part: its own admin, or a district admin on its behalf
  function canConfirm(r) {
    return hasRole('district_admin') || (hasRole('school_admin') && me.schoolId === r.schoolId);
  }

  function confirmControl(s, r, occ, result) {
    const button = h('button', { type: 'button', class: 'btn small confirm-receiver', onclick: function () {
      button.disabled = true;
      api('/sessions/' + encodeURIComponent(s.id) + '/receivers/' + encodeURIComponent(r.schoolId) + '/confirm', { method: 'POST' })
        .then(function () {
          return afterChange(s, occ ? occ.id : null, t('session.confirmedNotice', schoolName(r.schoolId)));
        }, function (err) {
          button.disabled = false;
          fill(result, notice('error', errorText(err)));
        });
    } }, t('session.confirm'));
    return button;
  }

  function schoolName(id) {
    return schools[id] ? schools[id].name : id;
  }

  function afterChange(s, occurrenceId, text) {
    return load().then(function () {
      return showDetail(s.id, occurrenceId);
    }).then(function () {
      // where the admin is looking: at the top of the details, which may be far below the week
      detail.insertBefore(notice('ok', text), detail.firstChild);
    });
  }

  function cancelControl(s, occ, result) {
    const confirm = h('button', { type: 'button', class: 'btn danger', id: 'occurrence-cancel-confirm', hidden: true, onclick: function () {
      confirm.disabled = true;
      api('/sessions/' + encodeURIComponent(s.id) + '/occurrences/' + encodeURIComponent(occ.id) + '/status',
        { method: 'POST', body: { status: 'cancelled' } }).then(function () {
        return afterChange(s, occ.id, t('calendar.cancelled', s.title));
      }, function (err) {
        confirm.disabled = false;
        fill(result, notice('error', errorText(err)));
      });
    } }, t('calendar.confirmCancel'));
    const open = h('button', { type: 'button', class: 'btn danger', id: 'occurrence-cancel', onclick: function () {
      confirm.hidden = !confirm.hidden;
    } }, t('calendar.cancel'));
    return h('div', { class: 'actions' }, open, confirm);
  }

  function moveControl(s, occ, from, to, result) {
    const date = h('input', { type: 'date', id: 'move-date', value: from.date, required: true });
    const start = h('input', { type: 'time', id: 'move-start', value: from.time, required: true });
    const end = h('input', { type: 'time', id: 'move-end', value: to.time, required: true });
    const form = h('form', { class: 'move-form', id: 'occurrence-move-form', hidden: true, onsubmit: function (e) {
      e.preventDefault();
      api('/sessions/' + encodeURIComponent(s.id) + '/occurrences/' + encodeURIComponent(occ.id),
        { method: 'PATCH', body: { date: date.value, start: start.value, end: end.value } }).then(function () {
        if (S.monday(date.value) !== week) {
          go('calendar', Object.assign({}, state, { week: date.value, session: s.id }));
          return null;
        }
        return afterChange(s, occ.id, t('calendar.moved', s.title, date.value + ' ' + start.value));
      }, function (err) {
        const conflicts = S.refusedConflicts(err);
        fill(result, notice('error', conflicts ? t('calendar.moveRefused', conflicts.length) : errorText(err)),
          conflicts ? S.conflictList(conflicts, 'move-conflicts') : null);
      });
    } },
    h('label', { for: 'move-date' }, t('schedule.date')), date,
    h('div', { class: 'time-pair' },
      h('div', null, h('label', { for: 'move-start' }, t('schedule.start')), start),
      h('div', null, h('label', { for: 'move-end' }, t('schedule.end')), end)),
    h('button', { type: 'submit', class: 'btn primary', id: 'occurrence-move-submit' }, t('calendar.moveSubmit')));
    const open = h('button', { type: 'button', class: 'btn', id: 'occurrence-move', onclick: function () {
      form.hidden = !form.hidden;
    } }, t('calendar.move'));
    return h('div', null, h('div', { class: 'actions' }, open), form);
  }

  // Classroom and class names of the schools a session involves, each school asked once per page.
  const namesCache = {};
  function names(schoolIds) {
    return Promise.all(schoolIds.map(function (id) {
      if (!namesCache[id]) {
        namesCache[id] = Promise.all([S.allPages('/classrooms', { schoolId: id }), S.allPages('/classes', { schoolId: id })]);
      }
      return namesCache[id];
    })).then(function (all) {
      const out = { rooms: {}, classes: {} };
      all.forEach(function (pair) {
        pair[0].forEach(function (r) { out.rooms[r.id] = r.name; });
        pair[1].forEach(function (c) { out.classes[c.id] = c.grade + c.name; });
      });
      return out;
    });
  }

  // Schools, terms (for holidays) and, for admins, the users who may teach; then the filters and the week.
  Promise.all([S.allPages('/schools'), S.allPages('/terms'), isAdmin() ? S.allPages('/users') : Promise.resolve([])]).then(function (r) {
    schools = S.byId(r[0]);
    terms = r[1];
    teachers = S.byId(r[2]);
    if (!state.schoolId && r[0].length) {
      state.schoolId = r[0][0].id;
    }
    return objectsOf();
  }).then(function (objects) {
    if (by !== 'school' && !state[BY[by]] && objects.length) {
      state[BY[by]] = objects[0].id;
    }
    replace('calendar', Object.assign({}, state, { by: by !== 'school' && !state[BY[by]] ? by : null, week: week }));
    renderFilters(objects);
    return load().then(function () {
      if (state.session) {
        const o = occurrences.filter(function (x) { return x.sessionId === state.session; })[0];
        if (o) {
          showDetail(o.sessionId, o.occurrenceId);
        }
      }
    });
  }).catch(function (err) {
    fill(grid, loadError(err, function () { go('calendar', state); }));
  });
}

function pct(minutes) {
  return ((minutes - DAY_START) * 100 / (DAY_END - DAY_START)) + '%';
}

/**
 * Side by side where occurrences overlap: each goes into the first lane free at its start, and every
 * occurrence of an overlapping cluster gets the cluster's width.
 */
function layout(list) {
  const sorted = list.slice().sort(function (a, b) { return Date.parse(a.startsAt) - Date.parse(b.startsAt); });
  const out = [];
  let cluster = [];
  let laneEnds = [];
  let clusterEnd = 0;
  function flush() {
    cluster.forEach(function (p) { p.lanes = laneEnds.length; });
    cluster = [];
    laneEnds = [];
  }
  sorted.forEach(function (o) {
    const start = Date.parse(o.startsAt);
    const end = Date.parse(o.endsAt);
    if (cluster.length && start >= clusterEnd) {
      flush();
    }
    let lane = laneEnds.findIndex(function (e) { return e <= start; });
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(end);
    } else {
      laneEnds[lane] = end;
    }
    const placed = { occurrence: o, lane: lane, lanes: 1 };
    cluster.push(placed);
    out.push(placed);
    clusterEnd = cluster.length === 1 ? end : Math.max(clusterEnd, end);
  });
  flush();
  return out;
}
