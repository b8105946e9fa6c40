// 自动排课: the wizard for a term's dedicated classes (专递课堂). #/auto-schedule holds steps 1 and 2 — the term,
// then the demand: receiving classes and how many periods a week of which subject — and submits the run;
// #/auto-schedule/ID holds steps 3 and 4 — the run's progress (asked every second while it is open), then its
// proposal to review and apply or discard. Past runs are listed under the wizard and reopen from there.
// District admins only; the API says 403 to anyone else.

import { t, lang } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, loadError, errorText, formatDate } from '../dom.js';
import { go, href } from '../router.js';
import * as S from '../schedule.js';

// The subjects rural schools most often cannot offer themselves (紧缺学科); any other may be typed.
const SUBJECTS = ['音乐', '美术', '英语', '科学', '体育', '书法'];
const KINDS = ['urban', 'town_seat', 'rural', 'teaching_site'];
const RECEIVING = ['rural', 'teaching_site'];
const MAX_PERIODS = 10;
const POLL_MS = 1000;
const OPEN = ['queued', 'running'];

export function render(view, route) {
  view.appendChild(h('h1', null, t('auto.title')));
  if (route.id) {
    run(view, route.id);
  } else {
    wizard(view);
  }
}

function stepper(current) {
  return h('ol', { class: 'stepper', id: 'auto-steps', 'data-step': current }, [1, 2, 3, 4].map(function (n) {
    return h('li', { class: n === current ? 'current' : n < current ? 'done' : null, 'aria-current': n === current ? 'step' : null },
      h('span', { class: 'step-n' }, String(n)), t('auto.step.' + n));
  }));
}

function field(id, label, control, hint) {
  return h('div', { class: 'form-field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'muted small' }, hint) : null);
}

function percent(share) {
  return (Math.round(share * 1000) / 10) + '%';
}

function termLabel(x) {
  return x.name + '（' + x.startsOn + ' – ' + x.endsOn + '）';
}

function byGrade(a, b) {
  const ga = S.GRADES.indexOf(a.grade);
  const gb = S.GRADES.indexOf(b.grade);
  if (ga !== gb) {
    return (ga < 0 ? 99 : ga) - (gb < 0 ? 99 : gb);
  }
  return String(a.name).localeCompare(String(b.name), 'zh-CN');
}

// ---- steps 1 and 2 ---------------------------------------------------------------------------------------------

function wizard(view) {
  const steps = h('div', null, stepper(1));
  const message = h('div', { 'aria-live': 'polite', id: 'auto-message' });
  const body = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  const runs = h('div', { id: 'auto-runs' }, h('p', { class: 'muted' }, t('app.loading')));
  view.appendChild(steps);
  view.appendChild(message);
  view.appendChild(body);
  view.appendChild(h('section', { class: 'card' }, h('h2', null, t('auto.runs')), runs));

  let terms = [];
  let schools = [];
  let classes = [];
  const state = { termId: null, startsOn: '', kinds: RECEIVING.slice(), unchecked: {}, subjects: SUBJECTS.slice(), demand: {}, picked: {}, limit: 60 };

  function load() {
    fill(body, h('p', { class: 'muted' }, t('app.loading')));
    Promise.all([S.allPages('/terms'), S.allPages('/schools'), S.allPages('/classes')]).then(function (r) {
      terms = r[0];
      schools = r[1].slice().sort(function (a, b) { return a.name.localeCompare(b.name, 'zh-CN'); });
      classes = r[2];
      termStep();
      listRuns(runs, S.byId(terms));
    }, function (err) {
      fill(body, loadError(err, load));
    });
  }

  function chosenTerm() {
    return terms.filter(function (x) { return x.id === state.termId; })[0] || null;
  }

  // --- step 1: the term, and optionally the first day the classes run

  function termStep() {
    fill(steps, stepper(1));
    fill(message);
    if (!terms.length) {
      fill(body, notice('warn', t('auto.noTerms')));
      return;
    }
    const select = h('select', { id: 'auto-term' }, h('option', { value: '' }, t('auto.pickTerm')), terms.map(function (x) {
      return h('option', { value: x.id, selected: x.id === state.termId }, termLabel(x));
    }));
    const starts = h('input', { type: 'date', id: 'auto-starts', value: state.startsOn });
    const next = h('button', { type: 'button', class: 'btn primary', id: 'auto-next', disabled: !state.termId }, t('auto.next'));
    function bounds() {
      const term = chosenTerm();
      starts.min = term ? term.startsOn : '';
      starts.max = term ? term.endsOn : '';
    }
    select.addEventListener('change', function () {
      state.termId = select.value || null;
      next.disabled = !state.termId;
      bounds();
    });
    next.addEventListener('click', function () {
      const term = chosenTerm();
      const day = starts.value;
      if (day && (!S.isDate(day) || day < term.startsOn || day > term.endsOn)) {
        fill(message, notice('error', t('auto.startsOutside', term.startsOn, term.endsOn)));
        return;
      }
      state.startsOn = day;
      demandStep();
    });
    bounds();
    fill(body, h('div', { class: 'card form' }, h('h2', null, t('auto.step.1')),
      field('auto-term', t('auto.term'), select),
      field('auto-starts', t('auto.startsOn'), starts, t('auto.startsOnHint')),
      h('div', { class: 'actions' }, next)));
  }

  // --- step 2: the demand

  function shownSchools() {
    return schools.filter(function (s) { return state.kinds.indexOf(s.kind) >= 0 && !state.unchecked[s.id]; });
  }

  function shownClasses() {
    const order = {};
    shownSchools().forEach(function (s, i) { order[s.id] = i; });
    return classes.filter(function (c) { return order[c.schoolId] !== undefined; }).sort(function (a, b) {
      return order[a.schoolId] - order[b.schoolId] || byGrade(a, b);
    });
  }

  /** The demand lines of the classes on show: a class hidden by the school filter asks for nothing. */
  function demands() {
    const out = [];
    shownClasses().forEach(function (c) {
      const d = state.demand[c.id] || {};
      state.subjects.forEach(function (subject) {
        if (d[subject] > 0) {
          out.push({ classId: c.id, subject: subject, periodsPerWeek: d[subject] });
        }
      });
    });
    return out;
  }

  function demandStep() {
    fill(steps, stepper(2));
    fill(message);
    const schoolBox = h('div', { class: 'picks', id: 'auto-schools' });
    const table = h('div', { class: 'demand-wrap', id: 'auto-demand' });
    const total = h('p', { id: 'auto-demand-total', class: 'demand-total', 'aria-live': 'polite' });

    const kindBox = h('div', { class: 'picks', id: 'auto-kinds' }, KINDS.map(function (k) {
      const box = h('input', { type: 'checkbox', id: 'auto-kind-' + k, 'data-kind': k, checked: state.kinds.indexOf(k) >= 0 });
      box.addEventListener('change', function () {
        state.kinds = KINDS.filter(function (x) { return x === k ? box.checked : state.kinds.indexOf(x) >= 0; });
        drawSchools();
        drawTable();
      });
      return h('label', { class: 'check', for: 'auto-kind-' + k }, box, ' ', t('schoolKind.' + k));
    }));

    function drawSchools() {
      const list = schools.filter(function (s) { return state.kinds.indexOf(s.kind) >= 0; });
      fill(schoolBox, list.length ? list.map(function (s) {
        const box = h('input', { type: 'checkbox', id: 'auto-school-' + s.id, 'data-school': s.id, checked: !state.unchecked[s.id] });
        box.addEventListener('change', function () {
          state.unchecked[s.id] = !box.checked;
          drawTable();
        });
        return h('label', { class: 'check', for: 'auto-school-' + s.id }, box, ' ', s.name);
      }) : h('p', { class: 'muted' }, t('auto.noSchools')));
    }

    function drawTable() {
      const list = shownClasses();
      if (!list.length) {
        fill(table, h('p', { class: 'muted' }, t('auto.noClasses')));
        drawTotal();
        return;
      }
      const names = S.byId(schools);
      const all = h('input', { type: 'checkbox', id: 'auto-pick-all', 'aria-label': t('auto.pickAll'),
        checked: list.every(function (c) { return state.picked[c.id]; }) });
      all.addEventListener('change', function () {
        list.forEach(function (c) { state.picked[c.id] = all.checked; });
        drawTable();
      });
      fill(table, h('table', { class: 'table demand', id: 'auto-demand-table' },
        h('thead', null, h('tr', null, h('th', null, all), h('th', null, t('auto.school')), h('th', null, t('auto.class')),
          h('th', { class: 'num' }, t('auto.size')),
          state.subjects.map(function (s) { return h('th', { class: 'num', 'data-subject': s }, s); }))),
        h('tbody', null, list.map(function (c) {
          const label = c.grade + c.name;
          const pick = h('input', { type: 'checkbox', class: 'demand-pick', 'data-class': c.id, checked: !!state.picked[c.id],
            'aria-label': t('auto.pickClass', names[c.schoolId].name, label) });
          pick.addEventListener('change', function () {
            state.picked[c.id] = pick.checked;
          });
          return h('tr', { 'data-class': c.id },
            h('td', null, pick), h('td', null, names[c.schoolId].name), h('td', null, label), h('td', { class: 'num' }, String(c.size)),
            state.subjects.map(function (s) {
              const n = (state.demand[c.id] || {})[s];
              const cell = h('input', { type: 'number', class: 'demand-cell', min: 0, max: MAX_PERIODS, step: 1, inputmode: 'numeric',
                'data-class': c.id, 'data-subject': s, value: n ? String(n) : '', 'aria-label': t('auto.cellLabel', label, s) });
              cell.addEventListener('input', function () {
                setDemand(c.id, s, cell.value === '' ? 0 : parseInt(cell.value, 10));
                drawTotal();
              });
              return h('td', { class: 'num' }, cell);
            }));
        }))));
      drawTotal();
    }

    function setDemand(classId, subject, n) {
      const d = state.demand[classId] || (state.demand[classId] = {});
      if (n > 0) {
        d[subject] = Math.min(MAX_PERIODS, n);
      } else {
        delete d[subject];
      }
    }

    function drawTotal() {
      const lines = demands();
      const classCount = {};
      let periods = 0;
      lines.forEach(function (l) {
        classCount[l.classId] = true;
        periods += l.periodsPerWeek;
      });
      total.setAttribute('data-periods', String(periods));
      total.textContent = t('auto.total', Object.keys(classCount).length, periods);
    }

    // The quick fill: N periods of one subject for every ticked class.
    const fillSubject = h('input', { id: 'auto-fill-subject', list: 'auto-subjects', maxlength: 20, value: SUBJECTS[0] });
    const fillCount = h('input', { id: 'auto-fill-count', type: 'number', min: 0, max: MAX_PERIODS, value: '2' });
    const fillButton = h('button', { type: 'button', class: 'btn', id: 'auto-fill' }, t('auto.fill'));
    fillButton.addEventListener('click', function () {
      const subject = fillSubject.value.trim();
      const n = parseInt(fillCount.value, 10);
      const picked = shownClasses().filter(function (c) { return state.picked[c.id]; });
      if (!picked.length) {
        fill(message, notice('warn', t('auto.pickFirst')));
        return;
      }
      if (!subject || isNaN(n) || n < 0 || n > MAX_PERIODS) {
        fill(message, notice('warn', t('auto.fillInvalid', MAX_PERIODS)));
        return;
      }
      addSubject(subject);
      picked.forEach(function (c) { setDemand(c.id, subject, n); });
      fill(message, notice('ok', t('auto.filled', picked.length, subject, n)));
      drawTable();
    });

    const newSubject = h('input', { id: 'auto-new-subject', list: 'auto-subjects', maxlength: 20 });
    const addButton = h('button', { type: 'button', class: 'btn', id: 'auto-add-subject' }, t('auto.addSubject'));
    addButton.addEventListener('click', function () {
      if (newSubject.value.trim()) {
        addSubject(newSubject.value.trim());
        newSubject.value = '';
        drawTable();
      }
    });
    function addSubject(s) {
      if (state.subjects.indexOf(s) < 0) {
        state.subjects.push(s);
      }
    }

    const limit = h('input', { id: 'auto-limit', type: 'number', min: 5, max: 600, value: String(state.limit) });
    const back = h('button', { type: 'button', class: 'btn', id: 'auto-back' }, t('auto.back'));
    back.addEventListener('click', termStep);
    const submit = h('button', { type: 'button', class: 'btn primary', id: 'auto-submit' }, t('auto.submit'));
    submit.addEventListener('click', function () {
      const lines = demands();
      const seconds = parseInt(limit.value, 10);
      if (!lines.length) {
        fill(message, notice('warn', t('auto.noDemand')));
        return;
      }
      if (isNaN(seconds) || seconds < 5 || seconds > 600) {
        fill(message, notice('warn', t('auto.limitInvalid')));
        return;
      }
      state.limit = seconds;
      submit.disabled = true;
      fill(message);
      api('/auto-schedules', { method: 'POST', body: { termId: state.termId, demands: lines, timeLimitSeconds: seconds,
        startsOn: state.startsOn || undefined } }).then(function (job) {
        go('auto-schedule/' + encodeURIComponent(job.id));
      }, function (err) {
        submit.disabled = false;
        fill(message, notice('error', errorText(err)));
      });
    });

    fill(body, h('div', { class: 'card' },
      h('h2', null, t('auto.step.2')),
      h('p', { class: 'muted' }, t('auto.termChosen', termLabel(chosenTerm()))),
      h('fieldset', null, h('legend', null, t('auto.schools')), kindBox, schoolBox),
      h('fieldset', null, h('legend', null, t('auto.demand')),
        h('div', { class: 'filter-row fill-row' },
          h('label', { class: 'field' }, t('auto.fillSubject'), fillSubject),
          h('label', { class: 'field' }, t('auto.fillCount'), fillCount),
          h('div', { class: 'field field-button' }, fillButton),
          h('label', { class: 'field' }, t('auto.newSubject'), newSubject),
          h('div', { class: 'field field-button' }, addButton)),
        h('p', { class: 'muted small' }, t('auto.demandHint', MAX_PERIODS)),
        table, total,
        h('datalist', { id: 'auto-subjects' }, SUBJECTS.map(function (s) { return h('option', { value: s }); }))),
      h('fieldset', null, h('legend', null, t('auto.options')),
        field('auto-limit', t('auto.limit'), limit, t('auto.limitHint'))),
      h('div', { class: 'actions' }, back, submit)));
    drawSchools();
    drawTable();
  }

  load();
}

function listRuns(box, terms) {
  api('/auto-schedules', { query: { page: 1, size: 20 } }).then(function (res) {
    fill(box, res.items.length ? h('table', { class: 'table', id: 'auto-runs-table' },
      h('thead', null, h('tr', null, ['auto.submitted', 'auto.term', 'auto.status', 'auto.stat.placed', ''].map(function (k) {
        return h('th', null, k ? t(k) : '');
      }))),
      h('tbody', null, res.items.map(function (job) {
        const stats = job.proposal && job.proposal.stats;
        return h('tr', { 'data-run': job.id, 'data-status': job.status },
          h('td', null, formatDate(job.createdAt)),
          h('td', null, terms[job.termId] ? terms[job.termId].name : ''),
          h('td', null, h('span', { class: 'badge run-' + job.status }, t('auto.status.' + job.status)),
            OPEN.indexOf(job.status) >= 0 ? ' ' + job.progress + '%' : ''),
          h('td', null, stats ? t('auto.placedOf', stats.placed, stats.satisfiable) : ''),
          h('td', null, h('a', { href: href('auto-schedule/' + encodeURIComponent(job.id)), class: 'auto-run-link' }, t('auto.open'))));
      }))) : h('p', { class: 'muted' }, t('auto.noRuns')));
  }, function (err) {
    fill(box, loadError(err, function () { listRuns(box, terms); }));
  });
}

// ---- steps 3 and 4 ---------------------------------------------------------------------------------------------

function run(view, id) {
  const steps = h('div', null, stepper(3));
  const message = h('div', { 'aria-live': 'polite', id: 'auto-message' });
  const body = h('div', { id: 'auto-run' }, h('p', { class: 'muted' }, t('app.loading')));
  view.appendChild(steps);
  view.appendChild(h('p', null, h('a', { href: href('auto-schedule'), id: 'auto-new' }, t('auto.newRun'))));
  view.appendChild(message);
  view.appendChild(body);

  let terms = {};
  let progress = null; // the progress panel while the run is open, updated in place

  function live() {
    return document.body.contains(view);
  }

  function load() {
    if (!live()) {
      return; // the admin went elsewhere: stop asking
    }
    api('/auto-schedules/' + encodeURIComponent(id)).then(function (job) {
      if (!live()) {
        return;
      }
      show(job);
      if (OPEN.indexOf(job.status) >= 0) {
        setTimeout(load, POLL_MS);
      }
    }, function (err) {
      progress = null;
      fill(body, loadError(err, load));
    });
  }

  function show(job) {
    const open = OPEN.indexOf(job.status) >= 0;
    fill(steps, stepper(open ? 3 : 4));
    if (open && progress) {
      progress.update(job);
      return;
    }
    progress = null;
    const head = summary(job);
    if (open) {
      progress = progressPanel(job);
      fill(body, head, progress.el);
    } else if (job.status === 'failed') {
      fill(body, head, notice('error', t('auto.failed', job.error || '')));
    } else if (!job.proposal) {
      fill(body, head, notice('warn', t('auto.wasDiscarded')));
    } else {
      fill(body, head, review(job));
    }
  }

  function summary(job) {
    const term = terms[job.termId];
    const lines = (job.request && job.request.demands) || [];
    let periods = 0;
    lines.forEach(function (d) { periods += d.periodsPerWeek; });
    return h('dl', { class: 'facts run-facts' },
      h('dt', null, t('auto.status')), h('dd', null, h('span', { id: 'auto-status', 'data-status': job.status, class: 'badge run-' + job.status },
        t('auto.status.' + job.status))),
      h('dt', null, t('auto.term')), h('dd', null, term ? termLabel(term) : job.termId),
      h('dt', null, t('auto.demand')), h('dd', null, t('auto.demandSummary', lines.length, periods)),
      h('dt', null, t('auto.submitted')), h('dd', null, formatDate(job.createdAt)),
      job.appliedAt ? [h('dt', null, t('auto.appliedAt')), h('dd', null, formatDate(job.appliedAt))] : null);
  }

  function progressPanel(job) {
    const fillBar = h('div', { class: 'bar-fill' });
    const bar = h('div', { class: 'bar', id: 'auto-progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-label': t('auto.progress') }, fillBar);
    const text = h('p', { id: 'auto-progress-text' });
    const stop = h('button', { type: 'button', class: 'btn danger', id: 'auto-stop' }, t('auto.stop'));
    stop.addEventListener('click', function () {
      stop.disabled = true;
      discard();
    });
    function update(j) {
      const status = document.getElementById('auto-status');
      if (status) {
        status.setAttribute('data-status', j.status);
        status.className = 'badge run-' + j.status;
        status.textContent = t('auto.status.' + j.status);
      }
      fillBar.style.width = j.progress + '%';
      bar.setAttribute('aria-valuenow', String(j.progress));
      text.textContent = j.status === 'queued' ? t('auto.queued') : t('auto.running', j.progress);
    }
    update(job);
    return { el: h('div', { class: 'card run-progress' }, h('h2', null, t('auto.step.3')), bar, text, h('div', { class: 'actions' }, stop)),
      update: update };
  }

  function review(job) {
    const p = job.proposal;
    const st = p.stats;
    const applied = job.status === 'applied';
    const week = firstWeek(job);

    function stat(key, raw, shown, label, warn) {
      return h('div', { class: 'stat' + (warn ? ' warn' : ''), id: 'auto-stat-' + key, 'data-value': raw === null || raw === undefined ? '' : String(raw) },
        h('span', { class: 'stat-value' }, shown), h('span', { class: 'stat-label' }, label));
    }
    const figures = h('div', { class: 'stats', id: 'auto-stats' },
      stat('placed', st.placed, t('auto.placedOf', st.placed, st.satisfiable), t('auto.stat.placed')),
      stat('placedShare', st.placedShare, percent(st.placedShare), t('auto.stat.placedShare')),
      stat('lessons', st.lessons, String(st.lessons), t('auto.stat.lessons')),
      stat('greedyPlaced', st.greedyPlaced, String(st.greedyPlaced), t('auto.stat.greedy')),
      stat('ratioToGreedy', st.ratioToGreedy, st.ratioToGreedy === null || st.ratioToGreedy === undefined ? '—'
        : st.ratioToGreedy.toFixed(2) + '×', t('auto.stat.ratio')),
      stat('hardViolations', st.hardViolations, String(st.hardViolations), t('auto.stat.hard'), st.hardViolations > 0),
      stat('paired', st.paired, t('auto.pairedOf', st.paired, percent(st.placed ? st.paired / st.placed : 0)), t('auto.stat.paired')),
      stat('seconds', st.seconds, t('auto.secondsValue', st.seconds.toFixed(1)), t('auto.stat.seconds')));

    // The placements by receiving school, each school's week in order.
    const groups = {};
    p.placements.forEach(function (x) {
      (groups[x.schoolId] || (groups[x.schoolId] = { name: x.schoolName, items: [] })).items.push(x);
    });
    const order = Object.keys(groups).sort(function (a, b) { return groups[a].name.localeCompare(groups[b].name, 'zh-CN'); });
    const placements = h('div', { id: 'auto-placements' }, order.length ? order.map(function (schoolId) {
      const g = groups[schoolId];
      g.items.sort(function (a, b) {
        return a.weekday - b.weekday || S.minutesOf(a.start) - S.minutesOf(b.start) || a.className.localeCompare(b.className, 'zh-CN');
      });
      return h('section', { class: 'placement-group', 'data-school': schoolId },
        h('h3', null, g.name, ' ', h('span', { class: 'muted small' }, t('auto.groupCount', g.items.length)),
          applied ? [' ', h('a', { class: 'small', href: href('calendar', { schoolId: schoolId, week: week }) }, t('auto.calendar'))] : null),
        h('table', { class: 'table placements' },
          h('thead', null, h('tr', null, ['auto.weekday', 'auto.time', 'auto.class', 'auto.subject', 'auto.teacher', 'auto.leadSchool',
            'auto.classroom', 'auto.group'].map(function (k) { return h('th', null, t(k)); }))),
          h('tbody', null, g.items.map(function (x) {
            return h('tr', { class: 'placement', 'data-class': x.classId, 'data-weekday': x.weekday, 'data-start': x.start },
              h('td', null, t('weekday.' + x.weekday)), h('td', null, x.start + '–' + x.end), h('td', null, x.className),
              h('td', null, x.subject), h('td', null, x.teacherName), h('td', null, x.leadSchoolName), h('td', null, x.classroomName),
              h('td', null, h('span', { class: 'badge ' + (x.paired ? 'paired' : 'allied') }, t(x.paired ? 'auto.paired' : 'auto.allied'))));
          }))));
    }) : h('p', { class: 'muted' }, t('auto.nonePlaced')));

    const unplaced = p.unplaced.length ? h('table', { class: 'table', id: 'auto-unplaced' },
      h('thead', null, h('tr', null, ['auto.school', 'auto.class', 'auto.subject', 'auto.wanted', 'auto.placed', 'auto.reason']
        .map(function (k) { return h('th', null, t(k)); }))),
      h('tbody', null, p.unplaced.map(function (u) {
        return h('tr', { 'data-class': u.classId, 'data-subject': u.subject },
          h('td', null, u.schoolName), h('td', null, u.className), h('td', null, u.subject), h('td', { class: 'num' }, String(u.wanted)),
          h('td', { class: 'num' }, String(u.placed)), h('td', { class: 'reason-cell' }, lang() === 'en' ? u.reasonEn : u.reasonZh));
      }))) : h('p', { class: 'ok-line', id: 'auto-all-placed' }, t('auto.allPlaced'));

    let actions = null;
    if (job.status === 'proposed') {
      const apply = h('button', { type: 'button', class: 'btn primary', id: 'auto-apply' }, t('auto.apply'));
      const drop = h('button', { type: 'button', class: 'btn danger', id: 'auto-discard' }, t('auto.discard'));
      const confirm = h('button', { type: 'button', class: 'btn danger', id: 'auto-discard-confirm', hidden: true }, t('auto.discardConfirm'));
      apply.addEventListener('click', function () {
        apply.disabled = true;
        drop.disabled = true;
        applyRun(job, p, week, function () {
          apply.disabled = false;
          drop.disabled = false;
        });
      });
      drop.addEventListener('click', function () {
        drop.hidden = true;
        confirm.hidden = false;
        confirm.focus();
      });
      confirm.addEventListener('click', function () {
        confirm.disabled = true;
        apply.disabled = true;
        discard();
      });
      actions = h('div', { class: 'actions' }, apply, drop, confirm, h('span', { class: 'muted small' }, t('auto.applyHint')));
    } else if (applied) {
      actions = notice('ok', t('auto.wasApplied'));
    } else if (job.status === 'discarded') {
      actions = notice('warn', t('auto.wasDiscarded'));
    }

    return h('div', { class: 'card', id: 'auto-review', 'data-status': job.status },
      h('h2', null, t('auto.step.4')), figures, actions,
      h('h3', null, t('auto.placements')), placements,
      h('h3', null, t('auto.unplaced')), unplaced);
  }

  /** The week the applied classes begin: the chosen first day, else the term's start or today, whichever is later. */
  function firstWeek(job) {
    if (job.request && job.request.startsOn) {
      return job.request.startsOn;
    }
    const term = terms[job.termId];
    const today = S.today();
    return term && term.startsOn > today ? term.startsOn : today;
  }

  function applyRun(job, proposal, week, failed) {
    fill(message);
    api('/auto-schedules/' + encodeURIComponent(job.id) + '/apply', { method: 'POST', body: {} }).then(function (res) {
      const first = proposal.placements[0];
      fill(message, h('div', { class: 'notice ok', role: 'status', id: 'auto-applied' }, t('auto.applied', res.sessions), ' ',
        first ? h('a', { id: 'auto-calendar-link', href: href('calendar', { schoolId: first.schoolId, week: week }) },
          t('auto.calendarOf', first.schoolName)) : null));
      load();
    }, function (err) {
      failed();
      const list = S.refusedConflicts(err);
      fill(message, list ? [notice('error', t('auto.refused', list.length)), S.conflictList(list, 'auto-conflicts')]
        : notice('error', errorText(err)));
      message.scrollIntoView({ block: 'nearest' });
    });
  }

  function discard() {
    fill(message);
    api('/auto-schedules/' + encodeURIComponent(id) + '/discard', { method: 'POST', body: {} }).then(function () {
      fill(message, notice('ok', t('auto.discarded')));
      progress = null;
      load();
    }, function (err) {
      fill(message, notice('error', errorText(err)));
      load();
    });
  }

  S.allPages('/terms').then(function (list) {
    terms = S.byId(list);
  }, function () {
    // the term's name is a nicety; its id is shown instead
  }).then(load);
}
