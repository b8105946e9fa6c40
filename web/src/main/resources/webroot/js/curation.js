// Approve, or reject with a reason: the admin's two answers to a submitted resource, on the review queue and
// on the resource page alike.

import { t } from './i18n.js';
import { api } from './api.js';
import { h, fill, notice, errorText } from './dom.js';

/** curationActions(resource, done(action)) → element with 通过 / 退回 (reason required). */
export function curationActions(resource, done) {
  const message = h('div');
  const reason = h('textarea', { rows: 2, class: 'reason', 'aria-label': t('review.reason'), placeholder: t('review.reason') });
  const rejectForm = h('form', { class: 'reject-form', hidden: true, onsubmit: reject },
    reason,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn danger' }, t('review.confirmReject')),
      h('button', { type: 'button', class: 'btn', onclick: function () { rejectForm.hidden = true; } }, t('action.cancel'))));
  const approveBtn = h('button', { type: 'button', class: 'btn primary', onclick: approve }, t('review.approve'));
  const rejectBtn = h('button', {
    type: 'button', class: 'btn danger', onclick: function () {
      rejectForm.hidden = false;
      reason.focus();
    }
  }, t('review.reject'));

  function busy(on) {
    approveBtn.disabled = on;
    rejectBtn.disabled = on;
  }

  function send(action, body) {
    busy(true);
    fill(message);
    return api('/resources/' + encodeURIComponent(resource.id) + '/' + action, { method: 'POST', body: body })
      .then(function () {
        done(action);
      }, function (err) {
        fill(message, notice('error', errorText(err)));
        busy(false);
      });
  }

  function approve() {
    send('approve', {});
  }

  function reject(e) {
    e.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      fill(message, notice('error', t('review.needReason')));
      reason.focus();
      return;
    }
    send('reject', { reason: text });
  }

  return h('div', { class: 'curation' }, message, h('div', { class: 'actions' }, approveBtn, rejectBtn), rejectForm);
}
