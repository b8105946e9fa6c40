// 今日课堂: the class sessions of today for this user (a teacher: their school's, which holds what they lead and
// what their classrooms receive; a district admin: the county's), each with a button into its class room; and for
// admins the observer wall (巡课): every room with someone in it now, refreshed while the page is open.

import { t, term } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, notice, loadError } from '../dom.js';
import { href } from '../router.js';
import { isAdmin } from '../session.js';
import * as S from '../schedule.js';

const WALL_EVERY_MS = 15000;
let wallTimer = null;

export function render(view) {
  leave();
  const list = h('div', { id: 'today-list' }, h('p', { class: 'muted' }, t('app.loading')));
  const day = h('span', { class: 'muted', id: 'today-date' });
  view.appendChild(h('div', { class: 'title-row' }, h('h1', null, t('today.title')), day));
  view.appendChild(list);
  api('/live/today').then(function (res) {
    day.textContent = res.date;
    const items = res.items.filter(function (o) { return o.status !== 'cancelled'; });
    fill(list, items.length === 0 ? notice('info', t('today.none')) : h('ul', { class: 'today-list' }, items.map(function (o) {
      const open = o.status === 'scheduled' || o.status === 'live';
      return h('li', { class: 'card today-item', 'data-session': o.sessionId },
        h('strong', null, S.wall(o.startsAt).time + '–' + S.wall(o.endsAt).time), ' ',
        o.status === 'scheduled' ? h('span', { class: 'muted' }, t('today.opensAt', S.wall(o.opensAt).time)) : null, ' ',
        h('span', null, o.title), ' ',
        h('span', { class: 'badge' }, term('sessionType', o.type)), ' ',
        h('span', { class: 'badge status-' + o.status }, term('occurrence', o.status)), ' ',
        open ? h('a', { class: 'btn primary small', href: href('room/' + o.sessionId) }, t('today.enter')) : null);
    })));
  }, function (err) {
    fill(list, loadError(err, function () { render(view); }));
  });
  if (isAdmin()) {
    const wall = h('div', { id: 'live-wall', class: 'live-wall' });
    view.appendChild(h('h2', null, t('today.wall')));
    view.appendChild(wall);
    const refresh = function () {
      api('/live/rooms').then(function (res) {
        fill(wall, res.items.length === 0 ? h('p', { class: 'muted' }, t('today.wallEmpty')) : res.items.map(function (room) {
          return h('div', { class: 'card live-room', 'data-session': room.sessionId },
            h('span', { class: 'badge status-' + room.status }, term('occurrence', room.status)), ' ',
            h('span', null, t('today.classrooms', room.peers.length)),
            h('ul', null, room.peers.map(function (p) {
              // a classroom whose link dropped keeps its place for a while: say so rather than show it as present
              return h('li', { class: p.away ? 'muted' : null }, p.name + '（' + t('room.role.' + p.role) + '）' + (p.away ? ' · ' + t('today.away') : ''));
            })),
            h('a', { class: 'btn small', href: href('room/' + room.sessionId) }, t('today.observe')));
        }));
      }, function (err) {
        fill(wall, loadError(err, refresh));
      });
    };
    refresh();
    wallTimer = setInterval(function () {
      if (!document.body.contains(wall)) {
        leave();
        return;
      }
      refresh();
    }, WALL_EVERY_MS);
  }
}

export function leave() {
  if (wallTimer) {
    clearInterval(wallTimer);
    wallTimer = null;
  }
}
