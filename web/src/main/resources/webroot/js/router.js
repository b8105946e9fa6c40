// Hash routes: "#/search?q=分数&page=2" → {name: 'search', id: undefined, params}. "#/resource/ID" → id.
// Hash routing needs nothing from the server beyond index.html and keeps working from a saved bookmark.

export function current() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const path = q >= 0 ? hash.substring(0, q) : hash;
  const parts = path.split('/').filter(function (p) { return p; }).map(decodeURIComponent);
  return {
    name: parts[0] || '',
    id: parts[1],
    params: new URLSearchParams(q >= 0 ? hash.substring(q + 1) : '')
  };
}

/** href('resource/' + id) or href('search', {q: 'x', page: 2}); empty values are left out. */
export function href(path, params) {
  const q = new URLSearchParams();
  if (params) {
    Object.keys(params).forEach(function (k) {
      const v = params[k];
      if (v !== null && v !== undefined && v !== '') {
        q.append(k, v);
      }
    });
  }
  const qs = q.toString();
  return '#/' + path + (qs ? '?' + qs : '');
}

export function go(path, params) {
  window.location.hash = href(path, params);
}

/** Changes the address without re-rendering (e.g. the catalog remembering the selected node). */
export function replace(path, params) {
  window.history.replaceState(null, '', href(path, params));
}

/** The query of the current route as a plain object. */
export function paramsObject(params) {
  const o = {};
  params.forEach(function (v, k) {
    o[k] = v;
  });
  return o;
}
