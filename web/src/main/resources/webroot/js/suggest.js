// A search box that suggests as you type (titles, lessons, pinyin initials — whatever /search/suggest knows).
// Requests wait for a pause in typing and late answers to an older prefix are dropped, so a slow link
// never shows suggestions for text that is no longer in the box.

import { t, term } from './i18n.js';
import { api } from './api.js';
import { h, fill } from './dom.js';

const DELAY_MS = 250;

/** suggestBox({value, placeholder, onSubmit(q)}) → {element}. */
export function suggestBox(options) {
  const input = h('input', {
    id: 'search-q', type: 'search', name: 'q', value: options.value, placeholder: options.placeholder,
    autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'search-suggestions'
  });
  const list = h('ul', { id: 'search-suggestions', class: 'suggestions', role: 'listbox', hidden: true });
  let timer = null;
  let asked = 0;
  let items = [];
  let active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function choose(text) {
    input.value = text;
    close();
    options.onSubmit(text.trim());
  }

  function mark(i) {
    active = i;
    input.setAttribute('aria-activedescendant', 'suggestion-' + i);
    Array.prototype.forEach.call(list.children, function (li, j) {
      li.setAttribute('aria-selected', String(j === i));
    });
  }

  function show(suggestions) {
    items = suggestions;
    fill(list, suggestions.map(function (s, i) {
      return h('li', {
        role: 'option', 'aria-selected': 'false', id: 'suggestion-' + i,
        // mousedown, not click: it fires before the input loses focus and closes the list
        onmousedown: function (e) { e.preventDefault(); choose(s.text); }
      }, h('span', null, s.text), s.kind ? h('span', { class: 'muted small' }, term('suggest.kind', s.kind)) : null);
    }));
    list.hidden = !suggestions.length;
    input.setAttribute('aria-expanded', String(!list.hidden));
    active = -1;
  }

  function ask() {
    const q = input.value.trim();
    const ticket = ++asked;
    if (!q) {
      close();
      return;
    }
    api('/search/suggest', { query: { q: q } }).then(function (res) {
      if (ticket === asked && document.activeElement === input) {
        show(res.suggestions || []);
      }
    }, function () {
      // suggestions are a convenience: searching still works without them
      close();
    });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });
  input.addEventListener('keydown', function (e) {
    if (list.hidden || !items.length) {
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = items.length;
      mark(e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      choose(items[active].text);
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', close);

  const form = h('form', {
    class: 'searchbar', role: 'search', onsubmit: function (e) {
      e.preventDefault();
      clearTimeout(timer);
      asked++;
      close();
      options.onSubmit(input.value.trim());
    }
  }, h('div', { class: 'suggest-wrap' }, input, list), h('button', { type: 'submit', class: 'btn primary' }, t('search.submit')));
  return { element: form };
}
