// The shell: who is signed in, the navigation, the language switch, and which page renders for a hash route.

import { t, lang, setLang } from './i18n.js';
import { api, whenUnauthenticated } from './api.js';
import { h, fill, notice, errorText } from './dom.js';
import { current, go, href } from './router.js';
import { currentUser, setUser, isAdmin, hasRole } from './session.js';
import * as login from './pages/login.js';
import * as catalog from './pages/catalog.js';
import * as search from './pages/search.js';
import * as resource from './pages/resource.js';
import * as upload from './pages/upload.js';
import * as mine from './pages/mine.js';
import * as review from './pages/review.js';
import * as coverage from './pages/coverage.js';
import * as users from './pages/users.js';
import * as jobs from './pages/jobs.js';
import * as calendar from './pages/calendar.js';
import * as schedule from './pages/schedule.js';
import * as delivery from './pages/delivery.js';
import * as autoschedule from './pages/autoschedule.js';
import * as teachers from './pages/teachers.js';
import * as imports from './pages/imports.js';
import * as today from './pages/today.js';
import * as room from './pages/room.js';

// admin: only school and district admins see and open it; district: only district admins (the API checks again).
const ROUTES = {
  login: { page: login, open: true },
  catalog: { page: catalog, nav: 'nav.catalog' },
  search: { page: search, nav: 'nav.search' },
  resource: { page: resource },
  upload: { page: upload, nav: 'nav.upload' },
  mine: { page: mine, nav: 'nav.mine' },
  today: { page: today, nav: 'nav.today' },
  room: { page: room },
  calendar: { page: calendar, nav: 'nav.calendar' },
  schedule: { page: schedule, nav: 'nav.schedule', admin: true },
  'auto-schedule': { page: autoschedule, nav: 'nav.autoSchedule', district: true },
  delivery: { page: delivery, nav: 'nav.delivery', admin: true },
  teachers: { page: teachers, nav: 'nav.teachers', admin: true },
  import: { page: imports, nav: 'nav.import', admin: true },
  review: { page: review, nav: 'nav.review', admin: true },
  coverage: { page: coverage, nav: 'nav.coverage', admin: true },
  users: { page: users, nav: 'nav.users', admin: true },
  jobs: { page: jobs, nav: 'nav.jobs', admin: true }
};
const HOME = 'catalog';

const main = document.getElementById('main');
let shown = null;

function allowed(r) {
  return (!r.admin || isAdmin()) && (!r.district || hasRole('district_admin'));
}

function renderShell(active) {
  const user = currentUser();
  const nav = document.getElementById('nav');
  fill(nav, user ? Object.keys(ROUTES).filter(function (name) {
    const r = ROUTES[name];
    return r.nav && allowed(r);
  }).map(function (name) {
    return h('a', { href: href(name), class: name === active ? 'active' : null, 'aria-current': name === active ? 'page' : null },
      t(ROUTES[name].nav));
  }) : []);
  document.getElementById('whoami').textContent = user ? (user.displayName || user.username) : '';
  const logout = document.getElementById('logout');
  logout.hidden = !user;
  logout.textContent = t('nav.logout');
  const toggle = document.getElementById('lang-toggle');
  toggle.textContent = t('lang.switch');
  toggle.setAttribute('lang', lang() === 'en' ? 'zh-CN' : 'en');
  document.title = t('app.name');
}

function render() {
  const route = current();
  const user = currentUser();
  if (!user && route.name !== 'login') {
    go('login', { next: window.location.hash });
    return;
  }
  if (user && (route.name === 'login' || !route.name)) {
    go(HOME);
    return;
  }
  const r = ROUTES[route.name];
  // a page holding a camera and connections (the class room) lets them go before another one renders
  if (shown && shown.leave) {
    shown.leave();
  }
  shown = r && allowed(r) ? r.page : null;
  renderShell(route.name);
  // Each render gets a fresh container: late answers from the previous page land in a detached node.
  const view = h('section', { class: 'page page-' + route.name });
  fill(main, view);
  if (!r) {
    view.appendChild(notice('error', t('error.notFoundPage')));
  } else if (!allowed(r)) {
    view.appendChild(notice('error', t('error.forbidden')));
  } else {
    r.page.render(view, route);
  }
}

function bind() {
  window.addEventListener('hashchange', render);
  document.getElementById('lang-toggle').addEventListener('click', function () {
    setLang(lang() === 'en' ? 'zh' : 'en');
    render();
  });
  document.getElementById('logout').addEventListener('click', function () {
    api('/auth/logout', { method: 'POST', allow401: true }).catch(function () {
      // the session is ended on our side either way
    }).then(function () {
      setUser(null);
      go('login');
    });
  });
  whenUnauthenticated(function () {
    if (currentUser()) {
      setUser(null);
      go('login', { next: window.location.hash });
    }
  });
}

function boot() {
  setLang(lang());
  bind();
  api('/auth/me', { allow401: true }).then(function (me) {
    setUser(me.user);
    render();
  }, function (err) {
    setUser(null);
    render();
    if (err.status !== 401) {
      // The server is unreachable or failing: still show the login page, and why signing in may not work.
      main.insertBefore(notice('error', errorText(err)), main.firstChild);
    }
  });
}

boot();
