// The one way pages talk to /api/v1: the session cookie rides along, the chosen language is asked for, and
// every failure becomes an ApiError carrying the server's own code and message.

import { t, lang } from './i18n.js';

export const BASE = '/api/v1';

export function ApiError(status, code, message, details) {
  this.name = 'ApiError';
  this.status = status;
  this.code = code;
  this.message = message;
  this.details = details;
}
ApiError.prototype = Object.create(Error.prototype);
ApiError.prototype.constructor = ApiError;

let onUnauthenticated = function () {};

/** Called when the session is gone (401 outside of login), so the app can send the user to the login page. */
export function whenUnauthenticated(fn) {
  onUnauthenticated = fn;
}

export function acceptLanguage() {
  return lang() === 'en' ? 'en' : 'zh-CN';
}

/** "/x" + {a: 1, b: '', c: null} → "/api/v1/x?a=1": empty values are left out. */
export function url(path, query) {
  const q = new URLSearchParams();
  if (query) {
    Object.keys(query).forEach(function (k) {
      const v = query[k];
      if (v !== null && v !== undefined && v !== '') {
        q.append(k, v);
      }
    });
  }
  const qs = q.toString();
  return BASE + path + (qs ? '?' + qs : '');
}

/** Reads {"error":{"code","message","details"}} from a failed response, or describes the status. */
export function errorFrom(status, bodyText) {
  try {
    const e = JSON.parse(bodyText).error;
    if (e && e.message) {
      return new ApiError(status, e.code, e.message, e.details);
    }
  } catch (ignored) {
    // not our JSON: a proxy's page, an empty body…
  }
  return new ApiError(status, 'http_' + status, t('error.status', status));
}

export function networkError() {
  return new ApiError(0, 'network', t('error.network'));
}

/**
 * api('/resources', {method: 'POST', body: {...}, query: {...}}) → parsed JSON (null for 204).
 * allow401: the caller handles 401 itself (login, the first "who am I").
 * raw + contentType: a body sent as it is (a CSV file or text) instead of JSON.
 */
export function api(path, options) {
  const o = options || {};
  const headers = { 'Accept': 'application/json', 'Accept-Language': acceptLanguage() };
  if (o.raw !== undefined) {
    headers['Content-Type'] = o.contentType;
  } else if (o.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  return fetch(url(path, o.query), {
    method: o.method || 'GET',
    headers: headers,
    body: o.raw !== undefined ? o.raw : o.body === undefined ? undefined : JSON.stringify(o.body),
    credentials: 'same-origin'
  }).catch(function () {
    throw networkError();
  }).then(function (res) {
    return res.text().then(function (text) {
      if (res.ok) {
        return text ? JSON.parse(text) : null;
      }
      const err = errorFrom(res.status, text);
      if (res.status === 401 && !o.allow401) {
        onUnauthenticated();
      }
      throw err;
    });
  });
}
