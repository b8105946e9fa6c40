// 导入: a county's organisation and timetables from CSV (POST /imports/{kind}). The admin chooses what the file
// holds, pastes it or picks the file, checks it first (a dry run: the counts, or every bad row with its line,
// column and message), then imports it. A chosen file goes up as it is, so a GBK file saved by Excel is read
// by the server, not garbled by the browser.

import { t, lang } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, errorText } from '../dom.js';

// In the order a county imports them: each kind names records of the kinds before it.
const KINDS = ['schools', 'classrooms', 'classes', 'teachers', 'bell-schedules', 'timetables'];
const EXAMPLES = {
  schools: '名称,类型,地区代码\n后村小学,乡村,371321101',
  classrooms: '学校,教室,类型,容量\n城关一小,录播室,录播室,50',
  classes: '学校,年级,班级,人数\n后村小学,三年级,1班,18',
  teachers: '用户名,姓名,学校,任教学科,每周课时上限\nwang.music,王老师,城关一小,音乐、美术,6',
  'bell-schedules': '学校,节次,上课,下课,星期\n城关一小,3,09:40,10:20,1-5',
  timetables: '学校,学期,星期,节次,班级,学科,教师,教室\n城关一小,2026秋,3,3,三年级1班,音乐,wang.music,101'
};

export function render(view, route) {
  const message = h('div', { 'aria-live': 'polite', id: 'import-message' });
  const result = h('div', { id: 'import-result', 'aria-live': 'polite' });
  const preset = route.params.get('kind');
  const kind = h('select', { id: 'import-kind' }, KINDS.map(function (k) {
    return h('option', { value: k, selected: k === preset }, t('import.kind.' + k));
  }));
  const example = h('pre', { class: 'example', id: 'import-example' });
  const text = h('textarea', { id: 'import-text', rows: 10, spellcheck: 'false', placeholder: t('import.paste') });
  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv,text/plain' });
  const check = h('button', { type: 'button', class: 'btn', id: 'import-check' }, t('import.check'));
  const run = h('button', { type: 'button', class: 'btn primary', id: 'import-run', disabled: true }, t('import.run'));
  let chosen = null; // the picked file; pasted text is used when there is none
  let checked = null; // what the last clean dry run read, so the import sends exactly that

  function source() {
    return chosen ? { body: chosen, key: 'file:' + chosen.name + ':' + chosen.size + ':' + chosen.lastModified }
      : { body: text.value, key: 'text:' + text.value };
  }

  function changed() {
    checked = null;
    run.disabled = true;
    fill(result);
    fill(message);
  }

  kind.addEventListener('change', function () {
    example.textContent = EXAMPLES[kind.value];
    changed();
  });
  text.addEventListener('input', function () {
    if (chosen) {
      chosen = null;
      file.value = '';
    }
    changed();
  });
  file.addEventListener('change', function () {
    chosen = file.files && file.files[0] ? file.files[0] : null;
    changed();
    if (chosen) {
      fill(message, notice('info', t('import.fileChosen', chosen.name)));
    }
  });

  function send(dryRun) {
    const src = source();
    if (!chosen && !text.value.trim()) {
      fill(message, notice('warn', t('import.empty')));
      return;
    }
    check.disabled = true;
    run.disabled = true;
    fill(message);
    const k = kind.value;
    api('/imports/' + encodeURIComponent(k), { method: 'POST', query: { dryRun: dryRun ? 'true' : null }, raw: src.body,
      contentType: 'text/csv; charset=utf-8' }).then(function (res) {
      fill(result, counts(res));
      checked = dryRun ? k + '|' + src.key : null;
      run.disabled = !dryRun;
      if (!dryRun) {
        fill(message, notice('ok', t('import.done', t('import.kind.' + k))));
      }
    }, function (err) {
      checked = null;
      fill(result, problems(err));
    }).then(function () {
      check.disabled = false;
      result.scrollIntoView({ block: 'nearest' });
    });
  }

  check.addEventListener('click', function () { send(true); });
  run.addEventListener('click', function () {
    if (checked === kind.value + '|' + source().key) {
      send(false);
    }
  });

  function counts(res) {
    const box = h('div', { class: 'card import-counts', 'data-dry-run': String(res.dryRun), 'data-rows': res.rows, 'data-created': res.created,
      'data-updated': res.updated, 'data-unchanged': res.unchanged, 'data-removed': res.removed },
    h('p', { class: 'ok-line', id: 'import-summary' }, t(res.dryRun ? 'import.wouldDo' : 'import.did', res.rows, res.created, res.updated,
      res.unchanged, res.removed)),
    h('p', { class: 'muted small' }, t('import.encoding', res.encoding)));
    if (res.accounts && res.accounts.length) {
      box.appendChild(h('h3', null, t('import.accounts')));
      if (!res.dryRun) {
        box.appendChild(notice('warn', t('import.passwordsOnce')));
      }
      box.appendChild(h('table', { class: 'table', id: 'import-accounts' },
        h('thead', null, h('tr', null, h('th', null, t('users.username')), h('th', null, t('import.password')))),
        h('tbody', null, res.accounts.map(function (a) {
          return h('tr', null, h('td', null, a.username), h('td', { class: 'password' }, a.password || t('import.afterImport')));
        }))));
    }
    return box;
  }

  function problems(err) {
    const errors = err.details && err.details.errors;
    if (!errors) {
      return notice('error', errorText(err));
    }
    return h('div', { class: 'import-problems' }, notice('error', errorText(err)),
      h('table', { class: 'table', id: 'import-errors' },
        h('thead', null, h('tr', null, h('th', { class: 'num' }, t('import.line')), h('th', null, t('import.column')), h('th', null, t('import.problem')))),
        h('tbody', null, errors.map(function (e) {
          return h('tr', { 'data-line': e.line, 'data-column': e.column || '' },
            h('td', { class: 'num' }, String(e.line)), h('td', null, e.column || ''), h('td', null, lang() === 'en' ? e.messageEn : e.messageZh));
        }))),
      err.details.truncated ? h('p', { class: 'muted' }, t('import.truncated', errors.length, err.details.total)) : null);
  }

  example.textContent = EXAMPLES[kind.value];
  view.appendChild(h('h1', null, t('import.title')));
  view.appendChild(h('p', { class: 'muted' }, t('import.intro')));
  view.appendChild(h('div', { class: 'card form' },
    h('label', { for: 'import-kind' }, t('import.kind')), kind,
    h('p', { class: 'muted small' }, t('import.exampleLabel')), example,
    h('label', { for: 'import-text' }, t('import.text')), text,
    h('label', { for: 'import-file' }, t('import.file')), file,
    h('div', { class: 'actions' }, check, run)));
  view.appendChild(message);
  view.appendChild(result);
}
