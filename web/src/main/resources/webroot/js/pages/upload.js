// 上传: describe the resource (title, type, lesson, description, tags, scope), create it as a draft, then send
// its file with the tus client. An upload in progress belongs to this module, not to the page view, so it
// keeps going when the teacher looks at another page and its progress shows again on return.
//
// Routes: #/upload (new resource; ?node=ID preselects the lesson, ?type=textbook the type),
//         #/upload?resource=ID (the file of an existing draft).

import { t, term } from '../i18n.js';
import { api, url } from '../api.js';
import { h, fill, notice, loadError, errorText, formatBytes, pathText } from '../dom.js';
import { href } from '../router.js';
import { createTree } from '../tree.js';
import { TusUpload, pendingFor, pendingUploads, forget } from '../tus.js';

const TYPES = ['video', 'courseware', 'lesson_design', 'task_sheet', 'exercise', 'material', 'textbook', 'recording'];
const SCOPES = ['county', 'school', 'city', 'province', 'national'];

// The one upload in progress in this tab: {tus, resourceId, title, fileName, sent, total, status, info, done, error}.
let current = null;
let paint = function () {};

window.addEventListener('beforeunload', function (e) {
  if (current && current.tus.active) {
    e.preventDefault();
    e.returnValue = t('upload.leaveWarning');
    return e.returnValue;
  }
  return undefined;
});

/** Starts (or resumes) sending file as the file of resource {id, title}. */
function startUpload(file, resource) {
  if (current && current.tus.active) {
    current.tus.pause();
  }
  const state = {
    resourceId: resource.id, title: resource.title, fileName: file.name, sent: 0, total: file.size,
    status: 'connecting', info: null, done: false, error: null
  };
  state.tus = new TusUpload(file, {
    endpoint: url('/uploads'),
    resourceId: resource.id,
    title: resource.title,
    onProgress: function (sent, total) { state.sent = sent; state.total = total; paint(); },
    onStatus: function (s, info) { state.status = s; state.info = info; state.error = null; paint(); },
    onSuccess: function () { state.done = true; state.status = 'done'; paint(); },
    onError: function (err) { state.error = err; state.status = 'error'; paint(); }
  });
  current = state;
  state.tus.start();
  paint();
}

export function render(view, route) {
  const progress = h('div', { id: 'upload-progress' });
  paint = function () { drawProgress(progress); };
  view.appendChild(h('h1', null, t('upload.title')));
  view.appendChild(progress);
  paint();

  // Unfinished uploads come first: after a reload, continuing one is the likeliest thing to do.
  view.appendChild(pendingList());
  const resourceId = route.params.get('resource');
  const body = h('div');
  view.appendChild(body);
  if (resourceId) {
    fileOnly(body, resourceId);
  } else {
    newResource(body, route);
  }
}

function drawProgress(el) {
  const s = current;
  if (!s) {
    fill(el);
    return;
  }
  const pct = s.total ? Math.floor(s.sent * 100 / s.total) : 0;
  const bar = h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct) },
    h('div', { class: 'bar-fill', style: { width: pct + '%' } }));
  let line;
  if (s.done) {
    line = notice('ok', t('upload.done'));
  } else if (s.error) {
    line = notice('error', t('upload.failed', errorText(s.error)));
  } else if (s.status === 'retrying') {
    line = notice('warn', t('upload.retrying', s.info.seconds, s.info.attempt));
  } else if (s.status === 'paused') {
    line = h('p', { class: 'muted' }, t('upload.paused'));
  } else if (s.status === 'connecting') {
    line = h('p', { class: 'muted' }, t('upload.reconnecting'));
  } else {
    line = null;
  }
  if (line) {
    line.id = 'upload-status';
  }
  const allowed = s.error && s.error.status === 415 && s.error.details ? allowedTypes(s.error.details) : null;
  const running = s.tus.active;
  fill(el, h('div', { class: 'card upload-card' },
    h('h2', null, s.title),
    h('p', { class: 'muted' }, s.fileName),
    bar,
    h('p', { id: 'upload-percent' }, t('upload.progress', formatBytes(s.sent), formatBytes(s.total), pct)),
    line,
    allowed ? h('p', null, t('upload.allowed', allowed)) : null,
    h('div', { class: 'actions' },
      s.done ? null : h('button', {
        type: 'button', class: 'btn', id: 'upload-toggle', onclick: function () {
          if (running) {
            s.tus.pause();
          } else {
            s.tus.start();
          }
        }
      }, running ? t('upload.pause') : t('upload.resume')),
      h('a', { class: s.done ? 'btn primary' : 'btn', href: href('resource/' + encodeURIComponent(s.resourceId)) }, t('upload.viewResource')))));
}

// 415 details name the accepted types, as a list or as {allowed: [...]}.
function allowedTypes(details) {
  const list = Array.isArray(details) ? details : details.allowed || details.allowedTypes || [];
  return list.join('、');
}

function fileInput(onChange) {
  return h('input', { type: 'file', id: 'upload-file', name: 'file', onchange: onChange });
}

/** The file of an existing draft. */
function fileOnly(body, id) {
  fill(body, h('p', { class: 'muted' }, t('app.loading')));
  api('/resources/' + encodeURIComponent(id)).then(function (r) {
    const message = h('div');
    const input = fileInput(function () { fill(message); });
    fill(body, h('form', {
      class: 'card', onsubmit: function (e) {
        e.preventDefault();
        if (!input.files.length) {
          fill(message, notice('error', t('upload.needFile')));
          return;
        }
        startUpload(input.files[0], r);
      }
    }, h('h2', null, t('upload.forResource', r.title)), message,
    h('label', { for: 'upload-file' }, t('upload.file')), input,
    h('button', { type: 'submit', class: 'btn primary' }, t('upload.startFile'))));
  }, function (err) {
    fill(body, loadError(err, function () { fileOnly(body, id); }));
  });
}

/** A new resource: the form, then the file. */
function newResource(body, route) {
  const message = h('div', { 'aria-live': 'polite' });
  const title = h('input', { id: 'upload-title', name: 'title', required: true, maxlength: 200 });
  const type = h('select', { id: 'upload-type', name: 'type' }, TYPES.map(function (v) {
    return h('option', { value: v, selected: route.params.get('type') === v }, term('type', v));
  }));
  // The lesson is chosen in the tree (or arrives from the catalog page); a raw id means nothing to a teacher.
  const nodeId = h('input', { type: 'hidden', id: 'upload-node', name: 'node', value: route.params.get('node') || '' });
  const nodePath = h('p', { class: 'chosen', id: 'upload-node-path' });
  const tree = createTree({
    onSelect: function (node) {
      nodeId.value = node.id;
      showNode(node.id);
    }
  });
  const description = h('textarea', { id: 'upload-description', name: 'description', rows: 3 });
  const tags = h('input', { id: 'upload-tags', name: 'tags' });
  const scope = h('select', { id: 'upload-scope', name: 'scope' }, SCOPES.map(function (v) {
    return h('option', { value: v }, term('scope', v));
  }));
  const resumeNote = h('div');
  const input = fileInput(function () { offerResume(); });
  const submit = h('button', { type: 'submit', class: 'btn primary wide', id: 'upload-submit' }, t('upload.start'));

  function showNode(id) {
    if (!id) {
      fill(nodePath, h('span', { class: 'muted' }, t('upload.noLesson')));
      return;
    }
    fill(nodePath, h('span', { class: 'muted' }, t('app.loading')));
    api('/catalog/nodes/' + encodeURIComponent(id)).then(function (node) {
      const path = (node.path || []).filter(function (p) { return p.id !== node.id; }).concat([node]);
      fill(nodePath, pathText(path));
    }, function (err) {
      fill(nodePath, notice('error', errorText(err)));
    });
  }

  // Picking a file that this browser was already sending resumes that upload instead of creating a duplicate.
  function offerResume() {
    fill(resumeNote);
    const file = input.files[0];
    const known = file ? pendingFor(file) : null;
    if (!known) {
      return;
    }
    fill(resumeNote, h('div', { class: 'notice warn' },
      t('upload.resumeFound', known.title || known.resourceId), ' ',
      h('button', {
        type: 'button', class: 'btn primary small', id: 'upload-resume-found',
        onclick: function () { startUpload(file, { id: known.resourceId, title: known.title }); }
      }, t('upload.resume'))));
  }

  function onSubmit(e) {
    e.preventDefault();
    fill(message);
    const file = input.files[0];
    if (!nodeId.value.trim()) {
      fill(message, notice('error', t('upload.needLesson')));
      return;
    }
    if (!file) {
      fill(message, notice('error', t('upload.needFile')));
      return;
    }
    submit.disabled = true;
    fill(message, h('p', { class: 'muted' }, t('upload.creating')));
    api('/resources', {
      method: 'POST',
      body: {
        title: title.value.trim(), type: type.value, catalogNodeIds: [nodeId.value.trim()],
        description: description.value.trim() || undefined, tags: splitTags(tags.value), scope: scope.value
      }
    }).then(function (r) {
      fill(message, notice('ok', t('upload.created')));
      startUpload(file, { id: r.id, title: r.title || title.value.trim() });
      // Cleared against a duplicate on a second click; lesson, type and scope stay for the lesson's next file.
      title.value = '';
      description.value = '';
      tags.value = '';
      input.value = '';
      window.scrollTo(0, 0);
    }, function (err) {
      fill(message, notice('error', errorText(err)));
    }).then(function () {
      submit.disabled = false;
    });
  }

  fill(body, h('form', { class: 'card form', id: 'upload-form', onsubmit: onSubmit, novalidate: true },
    message,
    h('h2', null, t('upload.step1')),
    h('label', { for: 'upload-title' }, t('upload.resTitle')), title,
    h('label', { for: 'upload-type' }, t('upload.type')), type,
    h('span', { class: 'label' }, t('upload.lesson')), nodePath,
    h('details', { class: 'picker', open: !nodeId.value }, h('summary', null, t('upload.pickFromTree')), tree.element), nodeId,
    h('label', { for: 'upload-description' }, t('upload.description')), description,
    h('label', { for: 'upload-tags' }, t('upload.tags')), tags,
    h('label', { for: 'upload-scope' }, t('upload.scope')), scope,
    h('h2', null, t('upload.step2')),
    h('label', { for: 'upload-file' }, t('upload.file')), input, resumeNote,
    submit));
  showNode(nodeId.value);
}

function splitTags(text) {
  return text.split(/[,，、;；]/).map(function (s) { return s.trim(); }).filter(function (s) { return s; });
}

/** Unfinished uploads remembered by this browser; the file itself must be picked again to continue. */
function pendingList() {
  const list = pendingUploads().filter(function (p) { return !current || p.resourceId !== current.resourceId; });
  if (!list.length) {
    return h('div');
  }
  const box = h('div', { class: 'card' }, h('h2', null, t('upload.pending')), h('p', { class: 'muted' }, t('upload.pendingHint')));
  box.appendChild(h('ul', { class: 'plain' }, list.map(function (p) {
    const li = h('li', { class: 'pending' },
      h('a', { href: href('upload', { resource: p.resourceId }) },
        t('upload.pendingItem', p.title || p.resourceId, p.name, formatBytes(p.offset || 0) + ' / ' + formatBytes(p.size))),
      ' ',
      h('button', {
        type: 'button', class: 'btn small', onclick: function () {
          // Termination is best effort: an abandoned upload also expires on the server.
          fetch(p.url, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' }, credentials: 'same-origin' }).catch(function () {});
          forget(p.key);
          li.parentNode.removeChild(li);
        }
      }, t('upload.forget')));
    return li;
  })));
  return box;
}
