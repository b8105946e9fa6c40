// The catalog tree (学段 → 学科 → 版本 → 年级 → 册 → 单元 → 课), loaded one level at a time: a county catalog
// has tens of thousands of lessons, and a village link should only carry what the teacher opens.

import { t, term } from './i18n.js';
import { api } from './api.js';
import { h, fill, loadError } from './dom.js';

/**
 * createTree({onSelect(node)}) → {element, reveal(path)}.
 * node is {id, kind, title, childCount}; reveal opens the ancestors in path ([{id}], root first).
 */
export function createTree(options) {
  const items = {}; // id → {node, li, open(), loaded}
  let selected = null;
  const root = h('ul', { class: 'tree', role: 'tree' });

  function select(entry, quiet) {
    if (selected) {
      selected.li.setAttribute('aria-selected', 'false');
    }
    selected = entry;
    entry.li.setAttribute('aria-selected', 'true');
    if (!quiet) {
      options.onSelect(entry.node);
    }
  }

  function loadInto(list, parentId) {
    fill(list, h('li', { class: 'muted tree-status' }, t('tree.loading')));
    return api('/catalog/nodes', { query: { parentId: parentId } }).then(function (nodes) {
      fill(list, nodes.length ? nodes.map(item) : h('li', { class: 'muted tree-status' }, t('tree.empty')));
    }, function (err) {
      fill(list, h('li', null, loadError(err, function () {
        loadInto(list, parentId);
      })));
      throw err;
    });
  }

  function item(node) {
    const children = h('ul', { role: 'group', hidden: true });
    const hasChildren = node.childCount > 0;
    const toggle = h('button', {
      type: 'button', class: 'tree-toggle', 'aria-label': t('tree.expand'), disabled: !hasChildren,
      onclick: function () { entry.open(children.hidden); }
    }, hasChildren ? '▸' : '·');
    const label = h('button', { type: 'button', class: 'tree-label', onclick: function () { select(entry); } },
      h('span', { class: 'kind kind-' + node.kind }, term('kind', node.kind)), ' ', node.title);
    const li = h('li', { role: 'treeitem', 'aria-expanded': hasChildren ? 'false' : null, 'aria-selected': 'false', 'data-id': node.id },
      h('div', { class: 'tree-row' }, toggle, label), children);
    const entry = {
      node: node,
      li: li,
      loaded: null,
      open: function (show) {
        if (!hasChildren) {
          return Promise.resolve();
        }
        children.hidden = !show;
        li.setAttribute('aria-expanded', String(show));
        toggle.textContent = show ? '▾' : '▸';
        toggle.setAttribute('aria-label', show ? t('tree.collapse') : t('tree.expand'));
        if (show && !entry.loaded) {
          entry.loaded = loadInto(children, node.id).catch(function (err) {
            entry.loaded = null; // a later click tries again
            throw err;
          });
        }
        return show ? entry.loaded : Promise.resolve();
      }
    };
    items[node.id] = entry;
    return li;
  }

  const ready = loadInto(root, null).catch(function () {
    // shown in the tree with a retry button
  });

  /** Opens each ancestor in turn (each level loads only after its parent) and marks the last one selected. */
  function reveal(path) {
    return path.reduce(function (p, step, i) {
      return p.then(function () {
        const entry = items[step.id];
        if (!entry) {
          return undefined;
        }
        if (i === path.length - 1) {
          select(entry, true);
          entry.li.scrollIntoView({ block: 'nearest' });
          return undefined;
        }
        return entry.open(true);
      });
    }, ready).catch(function () {
      // the failing level already shows its error and a retry button
    });
  }

  return { element: root, reveal: reveal };
}
