// 教师: the teachers of a school with the subjects they teach and how many cross-school periods a week they may
// take on (automatic scheduling never plans more). An admin edits both in the row and saves it. A school admin
// sees their own school; a district admin chooses one (#/teachers?schoolId=…).

import { t } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, loadError, errorText } from '../dom.js';
import { go, paramsObject } from '../router.js';
import { currentUser, hasRole } from '../session.js';
import * as S from '../schedule.js';

const MAX_LIMIT = 40;

/** "音乐、美术" or "音乐, 美术" or "音乐 美术" → ["音乐", "美术"], as the CSV import reads them too. */
function subjectsOf(text) {
  return String(text).split(/[、,，;；|\s]+/).map(function (s) { return s.trim(); }).filter(function (s) { return s; });
}

export function render(view, route) {
  const me = currentUser();
  const state = paramsObject(route.params);
  const district = hasRole('district_admin');
  if (!district) {
    state.schoolId = me.schoolId;
  }
  const message = h('div', { 'aria-live': 'polite', id: 'teachers-message' });
  const filters = h('div', { class: 'filter-row' });
  const list = h('div', { id: 'teachers-list' });
  view.appendChild(h('h1', null, t('teachers.title')));
  view.appendChild(h('p', { class: 'muted' }, t('teachers.intro')));
  view.appendChild(filters);
  view.appendChild(message);
  view.appendChild(list);

  function load() {
    S.allPages('/schools').then(function (schools) {
      const mine = district ? schools : schools.filter(function (s) { return s.id === me.schoolId; });
      const select = h('select', { id: 'teachers-school' }, h('option', { value: '' }, t('calendar.pickSchool')), mine.map(function (s) {
        return h('option', { value: s.id, selected: s.id === state.schoolId }, s.name);
      }));
      select.disabled = !district;
      select.addEventListener('change', function () { go('teachers', { schoolId: select.value }); });
      fill(filters, h('label', { class: 'field' }, t('calendar.school'), select));
      if (state.schoolId) {
        teachers();
      } else {
        fill(list, h('p', { class: 'muted' }, t('teachers.pickSchool')));
      }
    }, function (err) {
      fill(list, loadError(err, load));
    });
  }

  function teachers() {
    fill(list, h('p', { class: 'muted' }, t('app.loading')));
    S.allPages('/teachers', { schoolId: state.schoolId }).then(function (items) {
      fill(list, items.length ? h('table', { class: 'table', id: 'teachers-table' },
        h('thead', null, h('tr', null, ['teachers.name', 'teachers.subjects', 'teachers.limit', ''].map(function (k) {
          return h('th', null, k ? t(k) : '');
        }))),
        h('tbody', null, items.map(row))) : h('p', { class: 'muted' }, t('teachers.none')));
    }, function (err) {
      fill(list, loadError(err, teachers));
    });
  }

  function row(teacher) {
    const name = teacher.displayName || teacher.username;
    const subjects = h('input', { class: 'teacher-subjects', value: teacher.subjects.join('、'), maxlength: 240,
      placeholder: t('teachers.subjectsHint'), 'aria-label': t('teachers.subjectsOf', name) });
    const limit = h('input', { class: 'teacher-limit', type: 'number', min: 0, max: MAX_LIMIT, value: String(teacher.maxWeeklyPeriods),
      'aria-label': t('teachers.limitOf', name) });
    const save = h('button', { type: 'button', class: 'btn small teacher-save' }, t('action.save'));
    save.addEventListener('click', function () {
      const n = parseInt(limit.value, 10);
      if (isNaN(n) || n < 0 || n > MAX_LIMIT) {
        fill(message, notice('error', t('teachers.limitInvalid', MAX_LIMIT)));
        return;
      }
      save.disabled = true;
      api('/teachers/' + encodeURIComponent(teacher.id), { method: 'PUT', body: { subjects: subjectsOf(subjects.value), maxWeeklyPeriods: n } })
        .then(function (saved) {
          subjects.value = saved.subjects.join('、');
          limit.value = String(saved.maxWeeklyPeriods);
          fill(message, notice('ok', t('teachers.saved', name, saved.subjects.join('、') || t('teachers.noSubjects'), saved.maxWeeklyPeriods)));
        }, function (err) {
          fill(message, notice('error', errorText(err)));
        }).then(function () {
          save.disabled = false;
        });
    });
    return h('tr', { 'data-teacher': teacher.id },
      h('td', null, name, h('div', { class: 'muted small' }, teacher.username)),
      h('td', null, subjects), h('td', null, limit), h('td', null, save));
  }

  load();
}
