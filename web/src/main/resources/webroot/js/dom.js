// Building DOM without HTML strings: every piece of text, from the server or from a user, goes in as a text
// node. The one exception, search highlights, is handled by highlight() below without innerHTML either.
//
// The UI targets old browsers on classroom boards and county PCs (Chromium 70-ish cores), so these modules
// avoid ?. and ??, String.replaceAll and top-level await.

import { t, lang } from './i18n.js';

/**
 * h('a', {href: '#/x', class: 'btn', onclick: fn}, 'text', child, [more]) → element.
 * Strings become text nodes; null, undefined and false children are skipped; style takes an object.
 */
export function h(tag, attrs) {
  const el = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) {
        return;
      }
      if (k.indexOf('on') === 0 && typeof v === 'function') {
        el.addEventListener(k.substring(2), v);
      } else if (k === 'style') {
        // through CSSOM: the page's Content-Security-Policy refuses inline style attributes
        Object.keys(v).forEach(function (p) { el.style[p] = v[p]; });
      } else if (k === 'class') {
        el.className = v;
      } else if (k === 'text') {
        el.textContent = v;
      } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'selected') {
        el[k] = v;
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    });
  }
  append(el, Array.prototype.slice.call(arguments, 2));
  return el;
}

function append(el, children) {
  children.forEach(function (c) {
    if (c === null || c === undefined || c === false) {
      return;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else if (typeof c === 'string' || typeof c === 'number') {
      el.appendChild(document.createTextNode(String(c)));
    } else {
      el.appendChild(c);
    }
  });
}

export function clear(el) {
  while (el.firstChild) {
    el.removeChild(el.firstChild);
  }
  return el;
}

/** Replaces the content of el with the given children. */
export function fill(el) {
  clear(el);
  append(el, Array.prototype.slice.call(arguments, 1));
  return el;
}

/** A message box; errors are announced to screen readers at once. */
export function notice(kind, text) {
  return h('div', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** The message to show for any failure: the server's own message when it sent one. */
export function errorText(err) {
  return err && err.message ? err.message : String(err);
}

/** An error box with an optional retry button, for a section that failed to load. */
export function loadError(err, retry) {
  return h('div', { class: 'notice error', role: 'alert' },
    t('error.loadFailed', errorText(err)),
    retry ? h('button', { type: 'button', class: 'btn small', onclick: retry }, t('action.retry')) : null);
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': '\'', '&#x27;': '\'', '&#x2F;': '/', '&#47;': '/' };

/**
 * A search highlight as nodes. The server escapes the text and marks hits with <em>; we trust nothing else:
 * the string is split on exactly "<em>" and "</em>", every other piece becomes a text node (after undoing
 * the server's entity escaping, so "&amp;" reads as "&"), and only <em> elements are created. Any other tag,
 * escaped or not, is shown as text and never interpreted.
 */
export function highlight(s) {
  const out = document.createDocumentFragment();
  let target = out;
  String(s).split(/(<em>|<\/em>)/).forEach(function (part) {
    if (part === '<em>') {
      if (target === out) {
        target = out.appendChild(document.createElement('em'));
      }
    } else if (part === '</em>') {
      target = out;
    } else if (part) {
      target.appendChild(document.createTextNode(part.replace(/&(amp|lt|gt|quot|#39|#x27|#x2F|#47);/g, function (m) {
        return ENTITIES[m];
      })));
    }
  });
  return out;
}

export function formatBytes(n) {
  if (n === null || n === undefined) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

export function formatDate(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  if (isNaN(d.getTime())) {
    return String(iso);
  }
  return d.toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A catalog path ([{title}] or ["title"] or a string) as one readable line. */
export function pathText(path) {
  if (!path) {
    return '';
  }
  if (typeof path === 'string') {
    return path;
  }
  return path.map(function (p) {
    return typeof p === 'string' ? p : p.title;
  }).join(' › ');
}

/** Prev/next paging with "page x of y"; go(page) is called with the new 1-based page. */
export function pager(page, size, total, go) {
  const pages = Math.max(1, Math.ceil(total / size));
  return h('nav', { class: 'pager', 'aria-label': 'pages' },
    h('button', { type: 'button', class: 'btn', disabled: page <= 1, onclick: function () { go(page - 1); } }, t('action.prev')),
    h('span', { class: 'muted' }, t('page.of', page, pages, total)),
    h('button', { type: 'button', class: 'btn', disabled: page >= pages, onclick: function () { go(page + 1); } }, t('action.next')));
}
