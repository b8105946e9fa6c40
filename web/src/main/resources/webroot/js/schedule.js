// What the schedule pages (课表, 排课, 开课情况) share: the schools' wall clock, dates as "YYYY-MM-DD" strings,
// the session types, lists that come in pages, and how a conflict reads.
//
// Sessions are stored as instants; schools live on China Standard Time (UTC+8 all year, no daylight saving).
// A county office PC or a test browser may run in another zone, so times are never read with the browser's
// local Date getters: an instant plus eight hours, read in UTC, is the wall clock of every school.

import { t, lang } from './i18n.js';
import { api } from './api.js';
import { h } from './dom.js';

export const TYPES = ['synchronous', 'dedicated', 'master_teacher', 'open_school', 'research'];
export const AUDIENCES = ['participants', 'logged_in', 'public'];
/** The grades in school order (a sort by text would put 三 before 二). */
export const GRADES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '七年级', '八年级', '九年级', '高一', '高二', '高三'];

const SCHOOL_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 86400 * 1000;

function pad(n) {
  return (n < 10 ? '0' : '') + n;
}

function dateOf(d) {
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
}

function epochDay(date) {
  const p = date.split('-');
  return Date.UTC(Number(p[0]), Number(p[1]) - 1, Number(p[2]));
}

/** An instant ("2026-11-10T08:10+08:00") as the schools' wall clock: {date, time: "08:10", minutes: 490}. */
export function wall(iso) {
  const d = new Date(Date.parse(iso) + SCHOOL_OFFSET_MS);
  return {
    date: dateOf(d),
    time: pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()),
    minutes: d.getUTCHours() * 60 + d.getUTCMinutes()
  };
}

/** Today at the schools. */
export function today() {
  return wall(new Date().toISOString()).date;
}

/** A real calendar date written YYYY-MM-DD (not 2026-02-31). */
export function isDate(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && dateOf(new Date(epochDay(s))) === s;
}

export function addDays(date, n) {
  return dateOf(new Date(epochDay(date) + n * DAY_MS));
}

/** 1 = Monday … 7 = Sunday, as the bell schedules count. */
export function weekday(date) {
  const w = new Date(epochDay(date)).getUTCDay();
  return w === 0 ? 7 : w;
}

export function monday(date) {
  return addDays(date, 1 - weekday(date));
}

/** First day of the month, n months from the month of date (n may be negative). */
export function monthStart(date, n) {
  const p = date.split('-');
  return dateOf(new Date(Date.UTC(Number(p[0]), Number(p[1]) - 1 + n, 1)));
}

/** "08:10" → 490. */
export function minutesOf(hhmm) {
  const p = String(hhmm).split(':');
  return Number(p[0]) * 60 + Number(p[1]);
}

/** Every item of a paginated list (schools, classrooms, users…), a page of 100 at a time. */
export function allPages(path, query) {
  const items = [];
  function page(n) {
    return api(path, { query: Object.assign({}, query, { page: n, size: 100 }) }).then(function (res) {
      Array.prototype.push.apply(items, res.items);
      return items.length < res.total && res.items.length && n < 50 ? page(n + 1) : items;
    });
  }
  return page(1);
}

/** {id: item} for a list. */
export function byId(items) {
  const out = {};
  items.forEach(function (i) { out[i.id] = i; });
  return out;
}

/** The term holding date, if any. */
export function termOn(terms, date) {
  return terms.filter(function (x) { return x.startsOn <= date && date <= x.endsOn; })[0] || null;
}

/** The holiday of a term that covers date, if any. */
export function holidayOn(terms, date) {
  const term = termOn(terms, date);
  return term ? (term.holidays || []).filter(function (x) { return x.from <= date && date <= x.to; })[0] || null : null;
}

/** The timetable weekday a date follows: a make-up day (调休) runs another weekday's timetable. */
export function timetableDay(term, date) {
  const m = term ? (term.makeUpDays || []).filter(function (x) { return x.date === date; })[0] : null;
  return m ? m.runsAs : weekday(date);
}

/** A conflict as the API gives it ({kind, message, messageEn, …}), in the reader's language. */
export function conflictText(c) {
  return lang() === 'en' && c.messageEn ? c.messageEn : c.message;
}

/** The list of conflicts; each item is tagged with its kind for the reader (and for tests). */
export function conflictList(conflicts, id) {
  return h('ul', { class: 'conflicts', id: id || null }, conflicts.map(function (c) {
    return h('li', { 'data-kind': c.kind, 'data-session': c.sessionId || null },
      h('span', { class: 'badge conflict-kind' }, t('conflict.' + c.kind)), ' ', conflictText(c));
  }));
}

/** The conflicts of a 409 refusal, or null when the failure is something else. */
export function refusedConflicts(err) {
  return err && err.status === 409 && err.details && err.details.conflicts ? err.details.conflicts : null;
}
