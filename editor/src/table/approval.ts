// Submit for approval (the author: valid-from date, a note, and a reason when the date lies in the past), withdraw or
// discard, and approve or reject (an approver who did not edit the draft: four eyes). The approver sees the note, the
// gate's warnings, the start date, the changes, the fixture report and the impact report, and confirms before
// approving; approve and reject send the revision shown, so a draft changed meanwhile is refused. A comment thread
// carries the back-and-forth; the author sees the reason of a rejection.
import { api, ApiError, type Draft } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { formatDate, formatDateTime, formatNumber, lang, problemText, t, todayIso, type MessageKey } from '../i18n/index.ts';
import { isoValue, temporalField } from '../date-input.ts';
import { supports } from '../capabilities.ts';
import { currentUser, mayApprove, mayEdit, mayReviewDraft, mayTest } from '../session.ts';
import { confirmDialog } from '../views/admin-common.ts';
import { errorText } from '../views/errors.ts';
import { renderDiff } from './diff.ts';
import { commentsCard } from './approval-comments.ts';
import { impactView } from './approval-impact.ts';
import type { TableSession } from './session.ts';

/**
 * The gate's warnings in the user's language where the editor knows them (the server words them in English for the
 * API and the audit trail); others, such as the analysis findings, as the server wrote them.
 */
export function warningText(w: string): string {
  let m = /^validFrom (\d{4}-\d{2}-\d{2}) lies in the past/.exec(w);
  if (m) return t('appr.warn.retroactive', { date: formatDate(m[1]!) });
  if (w.startsWith('the table has no fixture cases')) return t('appr.warn.noFixtures');
  m = /^no fixture case reaches rules? (.+) of the draft$/.exec(w);
  if (m) return t('appr.warn.unreached', { rules: m[1]! });
  m = /^the table's fixtures were changed beside the draft by (\S+) \((.*?), (\S+?)(?:: (.*))?\): (.*)$/s.exec(w);
  if (m) return t('appr.warn.fixturesBeside', { actor: m[1]!, at: formatDateTime(m[3]!), cases: m[4] ?? '—', reason: m[5]! });
  m = /^validFrom (\S+) is before version (\d+)'s (\S+):/.exec(w);
  if (m) return t('appr.warn.beforeNewest', { date: formatDate(m[1]!), n: m[2]!, validFrom: formatDate(m[3]!) });
  m = /^analysis \(([\w-]+)\): /.exec(w);
  // The finding itself is in the Regels tab, in the user's words (the gate keeps the engine's English).
  if (m) return t('appr.warn.analysis', { kind: FINDING_WORDS[m[1]!] ? t(FINDING_WORDS[m[1]!]!) : m[1]! });
  if (w.startsWith('analysis: the table is too large')) return t('appr.warn.analysisIncomplete');
  // A warning this editor does not know (a newer server): a general sentence, never the server's English.
  return lang() === 'en' ? w : t('appr.warn.other');
}

const FINDING_WORDS: Record<string, MessageKey> = {
  overlap: 'analysis.overlap',
  conflict: 'analysis.overlap',
  gap: 'analysis.gap',
  unreachable: 'analysis.unreachable',
  'value-outside': 'appr.warn.kind.valueOutside',
  inexact: 'appr.warn.kind.inexact',
  syntax: 'appr.warn.kind.syntax',
};

/** The review facts the approver (and the author) must see: note, start date, warnings, last rejection. */
function reviewFacts(draft: Draft): HTMLElement | null {
  if (!draft.revision) return null;
  const retro = Boolean(draft.validFrom && draft.validFrom < todayIso());
  const warnings = draft.submission?.warnings ?? [];
  return h(
    'div',
    { id: 'review-facts' },
    // While the author works on it again; a new submission is judged afresh (the thread keeps the history).
    draft.rejection && draft.status !== 'submitted'
      ? h('p', { class: 'banner banner-warn', id: 'rejection' }, t('appr.rejectedBy', { name: draft.rejection.by, date: formatDateTime(draft.rejection.at), reason: draft.rejection.reason }))
      : null,
    draft.status === 'submitted'
      ? h(
          'div',
          null,
          h(
            'p',
            { id: 'review-valid-from' },
            h('strong', null, `${t('appr.validFrom')}: `),
            formatDate(draft.validFrom ?? ''),
            retro ? h('span', { class: 'badge badge-warn', id: 'retroactive' }, ` ${t('appr.retroactive')}`) : null,
          ),
          draft.submission?.retroactiveReason ? h('p', { id: 'retroactive-reason' }, h('strong', null, `${t('appr.retroactiveReason')}: `), draft.submission.retroactiveReason) : null,
          h('p', { id: 'submission-note' }, h('strong', null, `${t('appr.submissionNote')}: `), draft.note ?? ''),
          h('h3', null, t('appr.warnings')),
          warnings.length > 0 ? h('ul', { id: 'submission-warnings' }, warnings.map((w) => h('li', null, warningText(w)))) : h('p', { class: 'muted', id: 'submission-warnings' }, t('appr.noWarnings')),
          fixtureChangesView(draft),
          draft.publication
            ? h('p', { class: 'muted small', id: 'review-revision' }, t('appr.reviewed', { revision: draft.revision, version: draft.publication.version, hash: draft.publication.hash.slice(0, 12) }))
            : null,
        )
      : null,
  );
}

/** Who changed the test cases since the last version, how and why: also changes made beside the draft. */
function fixtureChangesView(draft: Draft): HTMLElement {
  const changes = draft.fixtureChanges ?? [];
  return h(
    'div',
    { id: 'fixture-changes' },
    h('h3', null, t('appr.fixtureChanges')),
    changes.length === 0
      ? h('p', { class: 'muted' }, t('appr.fixtureChangesNone'))
      : h(
          'ul',
          null,
          changes.map((c) =>
            h(
              'li',
              { dataset: { into: c.into } },
              t('appr.fixtureChange', {
                actor: c.actor,
                date: formatDateTime(c.at),
                route: c.route,
                into: t(c.into === 'draft' ? 'appr.fixtureIntoDraft' : 'appr.fixtureIntoTable'),
                cases: [...c.changed.map((x) => x.name), ...c.added.map((n) => `+${n}`), ...c.removed.map((n) => `−${n}`)].join(', ') || '—',
                reason: c.reason || '—',
              }),
            ),
          ),
        ),
  );
}

export async function approvalPanel(s: TableSession): Promise<{ el: HTMLElement; destroy: () => void }> {
  const destroyers: (() => void)[] = [];
  const el = h('div', { class: 'approval' });
  const me = currentUser();
  /** The outcome of approving, kept across the re-render that follows (the draft is gone then). */
  let approvedText = '';
  /** The impact summary of the last analysis run on this screen (the approval confirmation quotes it). */
  let impactText = '';

  const render = async (): Promise<void> => {
    destroyers.splice(0).forEach((d) => d());
    const draft = s.draft;
    const status = draft?.revision ? (draft.status ?? 'editing') : 'none';
    const editors = draft?.editors ?? (draft?.updatedBy ? [draft.updatedBy] : []);
    const isEditor = Boolean(me && (editors.includes(me.username) || draft?.submittedBy === me.username));
    const info = h(
      'section',
      { class: 'card', 'aria-labelledby': 'appr-title' },
      h('h2', { id: 'appr-title' }, t('appr.title')),
      h(
        'p',
        { id: 'appr-state' },
        t('appr.state', { state: status === 'submitted' ? t('cat.state.submitted') : status === 'editing' ? t('cat.state.editing') : t('appr.noDraft') }),
      ),
      editors.length > 0 ? h('p', { class: 'muted small' }, t('appr.editors', { names: editors.join(', ') })) : null,
      draft?.submittedBy ? h('p', { class: 'muted small' }, t('appr.submittedBy', { name: draft.submittedBy, date: formatDateTime(draft.submittedAt), validFrom: formatDate(draft.validFrom) })) : null,
      draft ? reviewFacts(draft) : null,
      approvedText && status !== 'submitted' ? h('p', { class: 'banner banner-ok', id: 'approved-message' }, approvedText) : null,
    );
    const out = h('div', { 'aria-live': 'polite', id: 'decide-result' });

    // Withdraw (the author, while submitted) and discard (while editing).
    if (status === 'submitted' && isEditor && supports('post', '/api/v1/tables/{id}/draft/withdraw')) {
      info.append(
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              id: 'withdraw-draft',
              onclick: async () => {
                if (!(await confirmDialog(t('appr.withdraw'), t('appr.withdrawConfirm'), t('appr.withdraw'), false))) return;
                try {
                  await api.withdraw(s.id, draft!.revision);
                  announce(t('appr.withdrawn'), 'ok');
                  await s.reload();
                  await render();
                } catch (err) {
                  clear(out, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
                }
              },
            },
            t('appr.withdraw'),
          ),
        ),
      );
    }
    if (status === 'editing' && mayEdit()) {
      info.append(
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              id: 'discard-draft',
              onclick: async () => {
                if (!(await confirmDialog(t('appr.discard'), t('appr.discardConfirm'), t('appr.discard')))) return;
                try {
                  const r = await api.discardDraft(s.id, draft!.revision);
                  announce(t('appr.discarded'), 'ok');
                  if (r.tableRemoved) location.hash = '#/';
                  else {
                    await s.reload();
                    await render();
                  }
                } catch (err) {
                  clear(out, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
                }
              },
            },
            t('appr.discard'),
          ),
        ),
      );
    }

    // Submit.
    let submitCard: HTMLElement | null = null;
    const canSubmit = supports('post', '/api/v1/tables/{id}/draft/submit');
    const canDecide = supports('post', '/api/v1/tables/{id}/draft/approve');
    if (!canSubmit || !canDecide) {
      info.append(h('p', { class: 'banner banner-info' }, t('error.notAvailable', { path: [!canSubmit && 'draft/submit', !canDecide && 'draft/approve, draft/reject'].filter(Boolean).join('; ') })));
    }
    if (status === 'editing' && mayEdit() && canSubmit) {
      const validFromField = temporalField({ id: 'submit-valid-from', required: true, value: draft?.validFrom ?? todayIso() });
      const validFrom = validFromField.input;
      const note = h('textarea', { id: 'submit-note', rows: '3', required: true });
      const retroReason = h('textarea', { id: 'submit-retro-reason', rows: '2' });
      const retroLabel = h('label', { for: 'submit-retro-reason' }, t('appr.retroactiveReason'));
      const retroHint = h('p', { class: 'banner banner-warn small span-all', id: 'submit-retro-hint' }, t('appr.retroactiveNeeded'));
      const retroParts = [retroLabel, retroReason];
      const showRetro = () => {
        const past = isoValue(validFrom) !== '' && isoValue(validFrom) < todayIso();
        for (const p of [...retroParts, retroHint]) p.hidden = !past;
        retroReason.required = past;
      };
      validFrom.addEventListener('input', showRetro);
      showRetro();
      const result = h('div', { 'aria-live': 'polite', id: 'submit-result' });
      submitCard = h(
        'section',
        { class: 'card', 'aria-labelledby': 'submit-title' },
        h('h2', { id: 'submit-title' }, t('appr.submitTitle')),
        h(
          'form',
          {
            class: 'form-grid',
            onsubmit: async (e: Event) => {
              e.preventDefault();
              if (s.dirty()) {
                clear(result, h('p', { class: 'form-error', role: 'alert' }, t('appr.unsaved')));
                return;
              }
              try {
                await api.submit(s.id, isoValue(validFrom), note.value.trim(), retroReason.required ? retroReason.value.trim() : undefined);
                announce(t('appr.submitted'), 'ok');
                await s.reload();
                await render();
              } catch (err) {
                clear(result, h('div', { class: 'form-error', role: 'alert' }, h('p', null, t('appr.submitRefused', { message: errorText(err) })), reportDetails(err)));
              }
            },
          },
          h('label', { for: 'submit-valid-from' }, t('appr.validFrom')),
          validFromField.el,
          retroHint,
          retroLabel,
          retroReason,
          h('label', { for: 'submit-note' }, t('appr.note')),
          note,
          h('span'),
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'submit-draft' }, t('appr.submit'))),
        ),
        result,
      );
    }

    // Approve / reject: always the revision shown here (the server refuses another).
    let decideCard: HTMLElement | null = null;
    if (status === 'submitted' && canDecide && !mayApprove()) {
      // Who may not decide sees no buttons to decide with, but why, and who may.
      decideCard = h(
        'section',
        { class: 'card', 'aria-labelledby': 'decide-title' },
        h('h2', { id: 'decide-title' }, `${t('appr.approve')} / ${t('appr.reject')}`),
        h('p', { class: 'banner banner-info', id: 'approve-why' }, t('appr.notApprover')),
      );
    } else if (status === 'submitted' && canDecide) {
      const why = isEditor ? t('appr.authorCannot', { editors: editors.join(', ') }) : '';
      const reason = h('textarea', { id: 'reject-reason', rows: '2' });
      const shown = draft!;
      decideCard = h(
        'section',
        { class: 'card', 'aria-labelledby': 'decide-title' },
        h('h2', { id: 'decide-title' }, `${t('appr.approve')} / ${t('appr.reject')}`),
        why ? h('p', { class: 'banner banner-info', id: 'approve-why' }, why) : null,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'approve-draft',
              disabled: Boolean(why),
              'aria-describedby': why ? 'approve-why' : undefined,
              onclick: async () => {
                const retro = shown.validFrom && shown.validFrom < todayIso() ? ` (${t('appr.retroactive')})` : '';
                const question = t('appr.confirmApprove', {
                  version: shown.publication?.version ?? '?',
                  validFrom: formatDate(shown.validFrom ?? ''),
                  retro,
                  impact: impactText || t('appr.confirmImpactUnknown'),
                });
                if (!(await confirmDialog(t('appr.approve'), question, t('appr.approve'), false))) return;
                try {
                  const r = await api.approve(s.id, shown.revision);
                  approvedText = t('appr.approved', { n: r.version ?? '?', validFrom: formatDate(r.validFrom ?? shown.validFrom ?? '') });
                  announce(approvedText, 'ok');
                  clear(out, h('p', { class: 'banner banner-ok' }, approvedText));
                  await s.refreshDetail();
                  await s.reload().catch(() => undefined);
                  // The draft is now a version: show the state without the draft (no approve or reject left to press).
                  await render();
                } catch (err) {
                  clear(out, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
                }
              },
            },
            t('appr.approve'),
          ),
        ),
        h('label', { for: 'reject-reason' }, t('appr.reason')),
        reason,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              id: 'reject-draft',
                            onclick: async () => {
                if (!reason.value.trim()) {
                  reason.focus();
                  return;
                }
                try {
                  await api.reject(s.id, reason.value.trim(), shown.revision);
                  announce(t('appr.rejected'), 'ok');
                  await s.reload();
                  await render();
                } catch (err) {
                  clear(out, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
                }
              },
            },
            t('appr.reject'),
          ),
        ),
      );
    }

    // The report: changes, fixtures, impact.
    const report = h('section', { class: 'card', 'aria-labelledby': 'report-title' }, h('h2', { id: 'report-title' }, t('appr.report')));
    if (status !== 'none') {
      const diffOut = h('div', null, h('p', { role: 'status' }, t('common.loading')));
      const fxOut = h('div', { id: 'appr-fixtures' });
      const impactOut = h('div');
      report.append(h('h3', null, t('diff.title')), diffOut, h('h3', null, t('appr.fixtureReport')), fxOut, h('h3', null, t('appr.impact')), impactOut);
      const base = s.detail?.versions.at(-1);
      if (base) {
        Promise.all([api.diff(s.id, String(base.version), 'draft'), api.version(s.id, base.version)])
          .then(([d, from]) => clear(diffOut, renderDiff(d, s.draft?.table ?? s.model.table, from)))
          .catch((err: unknown) => clear(diffOut, h('p', { class: 'form-error' }, errorText(err))));
      } else clear(diffOut, h('p', { class: 'muted' }, t('diff.noVersions')));
      // Running the fixtures and the impact report are for who reviews or tests; a viewer reads that they are not theirs.
      if (!mayReviewDraft() && !mayTest()) fxOut.append(h('p', { class: 'muted', id: 'appr-fixtures-role' }, t('appr.fixturesRole')));
      else api
        .runFixtures(s.id, 'draft')
        .then((r) => {
          const cases = r.cases ?? r.results ?? [];
          const passed = cases.filter((c) => c.pass ?? c.passed ?? c.status === 'pass').length;
          clear(fxOut, h('p', null, t('fx.summary', { passed: r.passed ?? passed, failed: r.failed ?? cases.length - passed })));
        })
        .catch((err: unknown) => clear(fxOut, h('p', { class: 'form-error' }, errorText(err))));
      if (!mayReviewDraft()) impactOut.append(h('p', { class: 'muted', id: 'impact-role' }, t('appr.impactRole')));
      else if (!supports('post', '/api/v1/tables/{id}/draft/impact')) impactOut.append(h('p', { class: 'muted' }, t('error.notAvailable', { path: '/api/v1/tables/{id}/draft/impact' })));
      else impactOut.append(
        h(
          'button',
          {
            type: 'button',
            id: 'impact-run',
            onclick: async () => {
              clear(impactOut, h('p', { role: 'status' }, t('common.loading')));
              try {
                const r = await api.impact(s.id);
                impactText = t('appr.impactSummary', { changed: formatNumber(r.changed ?? 0), evaluated: formatNumber(r.evaluated ?? 0) });
                clear(impactOut, impactView(r, s, destroyers));
              } catch (err) {
                clear(impactOut, h('p', { class: 'form-error', role: 'alert', id: 'impact-error' }, errorText(err)));
              }
            },
          },
          t('appr.impactRun'),
        ),
      );
    }
    clear(el, h('div', { class: 'approval-cols' }, h('div', null, info, submitCard, decideCard, out, commentsCard(s, render)), report));
  };

  // The session may have been opened before someone else saved, submitted or decided the draft (it stays while the
  // table is open): decide on the server's state. Unsaved work of one's own is kept (the submit form says to save it).
  if (!s.dirty() && s.version === undefined) await Promise.all([s.reload(), s.refreshDetail()]).catch(() => undefined);
  await render();
  return { el, destroy: () => destroyers.splice(0).forEach((d) => d()) };
}

function reportDetails(err: unknown): HTMLElement | null {
  if (!(err instanceof ApiError)) return null;
  const body = err.body as { error?: { report?: unknown } } | null;
  return h(
    'div',
    null,
    err.details.length > 0 ? h('ul', null, err.details.map((d) => h('li', null, `${d.path}: ${problemText(d)}`))) : null,
    body?.error?.report ? h('details', null, h('summary', null, t('appr.report')), h('pre', { class: 'small mono' }, JSON.stringify(body.error.report, null, 2))) : null,
  );
}
