// 排课: the create form of a class session. While the admin chooses, the form asks the server which rules the
// session would break (POST /sessions/check, 300 ms after the last change) and lists the conflicts as they
// stand, in the reader's language; the final word is the create call's (409 with every conflict, 400 with the
// reason). On success the calendar opens at the week of the session, on its lead classroom.
//
// Everything the lists need comes from the API: schools, their classrooms, classes and bell schedules, terms,
// and the users who may teach (admins see their school's users, a district admin everyone).

import { t, term } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, loadError, errorText } from '../dom.js';
import { go, paramsObject } from '../router.js';
import { currentUser, hasRole } from '../session.js';
import * as S from '../schedule.js';

const SUBJECTS = ['语文', '数学', '英语', '音乐', '美术', '体育', '科学', '信息技术', '道德与法治', '书法', '心理健康'];
const DEBOUNCE_MS = 300;

export function render(view, route) {
  const me = currentUser();
  const preset = paramsObject(route.params);
  const message = h('div', { 'aria-live': 'polite', id: 'schedule-message' });
  const body = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  view.appendChild(h('h1', null, t('schedule.title')));
  view.appendChild(message);
  view.appendChild(body);

  Promise.all([S.allPages('/schools'), S.allPages('/terms'), S.allPages('/users')]).then(function (r) {
    // A school admin schedules for their own school; a district admin for any.
    const leadChoices = hasRole('district_admin') ? r[0] : r[0].filter(function (s) { return s.id === me.schoolId; });
    fill(body, form(r[0], leadChoices, r[1], r[2]));
  }, function (err) {
    fill(body, loadError(err, function () { go('schedule', preset); }));
  });

  function form(schools, leadSchools, terms, users) {
    const el = {};
    function select(id, options, onchange) {
      el[id] = h('select', { id: 'schedule-' + id, name: id }, options);
      if (onchange) {
        el[id].addEventListener('change', onchange);
      }
      return el[id];
    }
    function input(id, attrs) {
      el[id] = h('input', Object.assign({ id: 'schedule-' + id, name: id }, attrs || {}));
      return el[id];
    }
    function field(id, labelKey, control) {
      return h('div', { class: 'form-field' }, h('label', { for: 'schedule-' + id }, t(labelKey)), control);
    }
    function check(id, labelKey, checked) {
      el[id] = h('input', { type: 'checkbox', id: 'schedule-' + id, name: id, checked: checked });
      return h('label', { class: 'check', for: 'schedule-' + id }, el[id], ' ', t(labelKey));
    }
    function options(items, label, chosen, emptyKey) {
      return (emptyKey ? [h('option', { value: '' }, t(emptyKey))] : []).concat(items.map(function (i) {
        return h('option', { value: i.id, selected: i.id === chosen }, label(i));
      }));
    }
    function schoolOptions(list, chosen, emptyKey) {
      return options(list, function (s) { return s.name; }, chosen, emptyKey);
    }

    let bells = [];
    let customChosen = false; // "other times" picked by the admin, not just the only choice left
    const receivers = h('div', { id: 'schedule-receivers' });
    const conflicts = h('div', { id: 'schedule-conflicts', class: 'conflict-panel', 'aria-live': 'polite' },
      h('p', { class: 'muted' }, t('schedule.checkIncomplete')));
    const submit = h('button', { type: 'submit', class: 'btn primary wide', id: 'schedule-submit' }, t('schedule.submit'));

    const leadSchool = select('leadSchool', schoolOptions(leadSchools, preset.leadSchoolId || (leadSchools.length === 1 ? leadSchools[0].id : null), 'schedule.pick'),
      function () { leadChanged().then(changed); });
    const dateValue = S.isDate(preset.date) ? preset.date : S.today();

    const fieldset = [
      h('fieldset', null, h('legend', null, t('schedule.what')),
        h('div', { class: 'form-grid' },
          field('type', 'schedule.type', select('type', S.TYPES.map(function (x) {
            return h('option', { value: x, selected: x === (preset.type || 'synchronous') }, term('sessionType', x));
          }))),
          field('title', 'schedule.sessionTitle', input('title', { maxlength: 100, placeholder: t('schedule.titleHint') })),
          field('subject', 'schedule.subject', input('subject', { list: 'schedule-subjects', maxlength: 20, required: true })),
          field('grade', 'schedule.grade', input('grade', { list: 'schedule-grades', maxlength: 20, required: true }))),
        h('datalist', { id: 'schedule-subjects' }, SUBJECTS.map(function (x) { return h('option', { value: x }); })),
        h('datalist', { id: 'schedule-grades' }, S.GRADES.map(function (x) { return h('option', { value: x }); }))),
      h('fieldset', null, h('legend', null, t('schedule.leadSide')),
        h('div', { class: 'form-grid' },
          field('leadSchool', 'schedule.leadSchool', leadSchool),
          field('leadClassroom', 'schedule.leadClassroom', select('leadClassroom', [])),
          field('leadTeacher', 'schedule.leadTeacher', select('leadTeacher', [])),
          field('leadClass', 'schedule.leadClass', select('leadClass', [])))),
      h('fieldset', null, h('legend', null, t('schedule.receivers')), receivers,
        h('button', { type: 'button', class: 'btn', id: 'schedule-addReceiver', onclick: function () { addReceiver(); changed(); } },
          t('schedule.addReceiver'))),
      h('fieldset', null, h('legend', null, t('schedule.when')),
        h('div', { class: 'form-grid' },
          field('term', 'schedule.term', select('term', options(terms, function (x) { return x.name + '（' + x.startsOn + ' – ' + x.endsOn + '）'; },
            preset.termId || (S.termOn(terms, dateValue) || {}).id, 'schedule.noTerm'), function () { termChanged(); periodsChanged(); })),
          h('div', { class: 'form-field' }, h('span', { class: 'label' }, t('schedule.repeat')), check('weekly', 'schedule.weekly', false)),
          field('date', 'schedule.date', input('date', { type: 'date', value: dateValue, required: true })),
          field('period', 'schedule.period', select('period', [])),
          h('div', { class: 'form-field time-pair', id: 'schedule-times' },
            h('div', null, h('label', { for: 'schedule-start' }, t('schedule.start')), input('start', { type: 'time' })),
            h('div', null, h('label', { for: 'schedule-end' }, t('schedule.end')), input('end', { type: 'time' }))))),
      h('fieldset', null, h('legend', null, t('schedule.media')),
        h('div', null, check('live', 'session.live', true), check('recording', 'session.recording', true), check('replay', 'session.replay', true)),
        h('div', { class: 'form-grid' },
          field('liveAudience', 'schedule.liveAudience', select('liveAudience', S.AUDIENCES.map(function (a) {
            return h('option', { value: a, selected: a === 'participants' }, term('audience', a));
          }))),
          field('replayAudience', 'schedule.replayAudience', select('replayAudience', S.AUDIENCES.map(function (a) {
            return h('option', { value: a, selected: a === 'logged_in' }, term('audience', a));
          }))))),
      h('fieldset', null, h('legend', null, t('schedule.overrides')),
        h('p', { class: 'muted small' }, t('schedule.overridesHint')),
        field('bellOverride', 'schedule.bellOverride', input('bellOverride', { maxlength: 200 })),
        field('pairingOverride', 'schedule.pairingOverride', input('pairingOverride', { maxlength: 200 })))
    ];

    // --- dependent lists

    function leadChanged() {
      const school = el.leadSchool.value;
      if (!school) {
        fill(el.leadClassroom);
        fill(el.leadClass);
        fill(el.leadTeacher);
        bells = [];
        periodsChanged();
        return Promise.resolve();
      }
      return Promise.all([S.allPages('/classrooms', { schoolId: school }), S.allPages('/classes', { schoolId: school }),
        api('/schools/' + encodeURIComponent(school) + '/bell-schedule')]).then(function (r) {
        fill(el.leadClassroom, options(r[0], function (c) { return c.name; }, preset.leadClassroomId, 'schedule.pick'));
        fill(el.leadClass, options(r[1], function (c) { return c.grade + c.name; }, preset.leadClassId, 'schedule.noClass'));
        // The school's own staff first; a teacher of another school may lead too (走教, a master teacher).
        const own = users.filter(function (u) { return u.schoolId === school; });
        const others = users.filter(function (u) { return u.schoolId !== school; });
        const label = function (u) { return (u.displayName || u.username) + '（' + u.username + '）'; };
        fill(el.leadTeacher, h('option', { value: '' }, t('schedule.pick')),
          own.length ? h('optgroup', { label: t('schedule.ownStaff') }, options(own, label, preset.leadTeacherId)) : null,
          others.length ? h('optgroup', { label: t('schedule.otherStaff') }, options(others, label, preset.leadTeacherId)) : null);
        bells = r[2].periods || [];
        periodsChanged();
      }, function (err) {
        fill(message, notice('error', errorText(err)));
      });
    }

    function chosenTerm() {
      return terms.filter(function (x) { return x.id === el.term.value; })[0] || null;
    }

    function termChanged() {
      el.weekly.disabled = !el.term.value;
      if (!el.term.value) {
        el.weekly.checked = false;
      }
    }

    // The periods of the lead school on the timetable weekday of the chosen date, and "other times".
    function periodsChanged() {
      const date = el.date.value;
      const day = S.isDate(date) ? S.timetableDay(chosenTerm(), date) : null;
      // Keep the admin's choice across dates; before any choice, the period asked for in the address.
      const previous = customChosen ? '' : (el.period.value || preset.period || null);
      const periods = bells.filter(function (p) { return day && (!p.weekdays || !p.weekdays.length || p.weekdays.indexOf(day) >= 0); });
      fill(el.period, periods.map(function (p) {
        return h('option', { value: String(p.number), selected: String(p.number) === previous },
          t('schedule.periodOption', p.number, p.start, p.end));
      }), h('option', { value: '', selected: !periods.length || previous === '' }, t('schedule.customTime')));
      timesShown();
    }

    function timesShown() {
      timesBox.hidden = el.period.value !== '';
    }

    // --- receiving sides: school, then its classroom and class

    function addReceiver() {
      const row = h('div', { class: 'receiver-row' });
      const school = h('select', { class: 'receiver-school', 'aria-label': t('schedule.receiverSchool') },
        schoolOptions(schools, null, 'schedule.pick'));
      const room = h('select', { class: 'receiver-classroom', 'aria-label': t('schedule.receiverClassroom') }, h('option', { value: '' }, t('schedule.noRoom')));
      const klass = h('select', { class: 'receiver-class', 'aria-label': t('schedule.receiverClass') }, h('option', { value: '' }, t('schedule.noClass')));
      school.addEventListener('change', function () {
        fill(room, h('option', { value: '' }, t('schedule.noRoom')));
        fill(klass, h('option', { value: '' }, t('schedule.noClass')));
        if (!school.value) {
          changed();
          return;
        }
        Promise.all([S.allPages('/classrooms', { schoolId: school.value }), S.allPages('/classes', { schoolId: school.value })]).then(function (r) {
          fill(room, options(r[0], function (c) { return c.name; }, null, 'schedule.noRoom'));
          fill(klass, options(r[1], function (c) { return c.grade + c.name; }, null, 'schedule.noClass'));
          changed();
        }, function (err) {
          fill(message, notice('error', errorText(err)));
        });
      });
      fill(row,
        h('label', { class: 'field' }, t('schedule.receiverSchool'), school),
        h('label', { class: 'field' }, t('schedule.receiverClassroom'), room),
        h('label', { class: 'field' }, t('schedule.receiverClass'), klass),
        h('button', { type: 'button', class: 'btn small receiver-remove', onclick: function () { receivers.removeChild(row); changed(); } },
          t('schedule.removeReceiver')));
      receivers.appendChild(row);
    }

    function receiverValues() {
      return Array.prototype.map.call(receivers.querySelectorAll('.receiver-row'), function (row) {
        return {
          schoolId: row.querySelector('.receiver-school').value,
          classroomId: row.querySelector('.receiver-classroom').value || undefined,
          classId: row.querySelector('.receiver-class').value || undefined
        };
      }).filter(function (r) { return r.schoolId; });
    }

    // --- the request, as the API takes it

    function request() {
      const v = function (name) { return el[name].value.trim() || undefined; };
      const custom = el.period.value === '';
      return {
        type: el.type.value, title: v('title'), subject: v('subject'), grade: v('grade'),
        leadSchoolId: v('leadSchool'), leadClassroomId: v('leadClassroom'), leadTeacherId: v('leadTeacher'), leadClassId: v('leadClass'),
        receivers: receiverValues(),
        termId: v('term'), weekly: el.weekly.checked, date: v('date'),
        period: custom ? undefined : Number(el.period.value), start: custom ? v('start') : undefined, end: custom ? v('end') : undefined,
        live: el.live.checked, recording: el.recording.checked, replay: el.replay.checked,
        liveAudience: el.liveAudience.value, replayAudience: el.replayAudience.value,
        bellOverride: v('bellOverride'), pairingOverride: v('pairingOverride')
      };
    }

    function complete(req) {
      return req.subject && req.grade && req.leadSchoolId && req.leadClassroomId && req.leadTeacherId && S.isDate(req.date)
        && (req.period !== undefined || (req.start && req.end));
    }

    // --- the live check: one request in flight at a time matters, so answers older than the last change are dropped

    let timer = null;
    let asked = 0;
    function changed() {
      clearTimeout(timer);
      timer = setTimeout(checkNow, DEBOUNCE_MS);
    }

    // The same answer again leaves the panel alone, so a screen reader does not announce it twice.
    let shown = null;
    function show(key, content) {
      if (key !== shown) {
        shown = key;
        fill(conflicts, content);
      }
    }

    function checkNow() {
      const req = request();
      const n = ++asked;
      if (!complete(req)) {
        show('incomplete', h('p', { class: 'muted', 'data-state': 'incomplete' }, t('schedule.checkIncomplete')));
        return;
      }
      conflicts.setAttribute('aria-busy', 'true');
      api('/sessions/check', { method: 'POST', body: req }).then(function (res) {
        if (n !== asked) {
          return;
        }
        show(JSON.stringify(res.conflicts), res.conflicts.length
          ? [h('p', { class: 'conflict-count', 'data-state': 'conflicts' }, t('schedule.conflictCount', res.conflicts.length)),
            S.conflictList(res.conflicts, 'schedule-conflict-list')]
          : h('p', { class: 'ok-line', 'data-state': 'free' }, t('schedule.noConflicts')));
      }, function (err) {
        if (n === asked) {
          show('error ' + err.message, h('div', { 'data-state': 'invalid' }, notice('warn', errorText(err))));
        }
      }).then(function () {
        if (n === asked) {
          conflicts.removeAttribute('aria-busy');
        }
      });
    }

    function onSubmit(e) {
      e.preventDefault();
      clearTimeout(timer);
      asked++; // a check still on its way must not overwrite what the create call says
      const req = request();
      submit.disabled = true;
      fill(message);
      api('/sessions', { method: 'POST', body: req }).then(function (s) {
        go('calendar', { schoolId: req.leadSchoolId, classroomId: req.leadClassroomId, week: req.date, session: s.id });
      }, function (err) {
        submit.disabled = false;
        const list = S.refusedConflicts(err);
        if (list) {
          fill(message, notice('error', t('schedule.refused', list.length)));
          shown = null;
          fill(conflicts, h('p', { class: 'conflict-count', 'data-state': 'conflicts' }, t('schedule.conflictCount', list.length)),
            S.conflictList(list, 'schedule-conflict-list'));
        } else {
          fill(message, notice('error', errorText(err)));
        }
        message.scrollIntoView({ block: 'nearest' });
      });
    }

    const timesBox = fieldset[3].querySelector('#schedule-times');
    const formEl = h('form', { class: 'schedule-form', id: 'schedule-form', novalidate: true, onsubmit: onSubmit },
      h('div', { class: 'split wide-first' },
        h('div', { class: 'card' }, fieldset, submit),
        h('aside', { class: 'card sticky' }, h('h2', null, t('schedule.conflicts')), conflicts)));
    formEl.addEventListener('change', function (e) {
      if (e.target === el.date) {
        periodsChanged();
      }
      if (e.target === el.period) {
        customChosen = el.period.value === '';
        timesShown();
      }
      changed();
    });
    formEl.addEventListener('input', function (e) {
      if (e.target.tagName === 'INPUT' && e.target.type !== 'checkbox') {
        changed();
      }
    });
    termChanged();
    periodsChanged();
    if (el.leadSchool.value) {
      leadChanged().then(changed);
    }
    return formEl;
  }
}
