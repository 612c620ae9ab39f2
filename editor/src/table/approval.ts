// Submit for approval (the author: valid-from date and a note) and approve or reject (an approver who did not edit
// the draft: four eyes). The approver sees the changes, the fixture report and the impact report before deciding.
import { api, ApiError, type ImpactReport } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { formatDate, formatDateTime, lang, t, todayIso } from '../i18n/index.ts';
import { supports } from '../capabilities.ts';
import { currentUser, hasRole } from '../session.ts';
import { errorText } from '../views/errors.ts';
import { renderDiff } from './diff.ts';
import type { TableSession } from './session.ts';

function impactView(r: ImpactReport, destroyers: (() => void)[]): HTMLElement {
  const groups = r.groups ?? [];
  const wrap = h(
    'div',
    { id: 'impact-report' },
    h('p', null, h('strong', null, t('appr.impactSummary', { changed: r.changed ?? 0, evaluated: r.evaluated ?? 0 }))),
  );
  if (groups.length > 0) {
    const label = (g: (typeof groups)[number]): string => `${JSON.stringify(g.from ?? g.old ?? null)} → ${JSON.stringify(g.to ?? g.new ?? null)}`;
    void import('./charts.ts').then(({ barChart }) => {
      const chart = barChart(
        groups.map(label),
        [{ label: t('appr.impact'), data: groups.map((g) => g.count) }],
        { horizontal: true, title: t('appr.impact'), locale: lang() === 'nl' ? 'nl-NL' : 'en-GB' },
      );
      destroyers.push(chart.destroy);
      wrap.append(chart.el);
      wrap.append(
        h('details', null, h('summary', null, t('appr.impactExamples')), h('ul', { class: 'small mono' }, groups.map((g) => h('li', null, `${label(g)} (${g.count}): ${JSON.stringify((g.examples ?? []).slice(0, 3))}`)))),
      );
    });
  }
  return wrap;
}

export async function approvalPanel(s: TableSession): Promise<{ el: HTMLElement; destroy: () => void }> {
  const destroyers: (() => void)[] = [];
  const el = h('div', { class: 'approval' });
  const me = currentUser();
  /** The outcome of approving, kept across the re-render that follows (the draft is gone then). */
  let approvedText = '';

  const render = async (): Promise<void> => {
    destroyers.splice(0).forEach((d) => d());
    const draft = s.draft;
    const status = draft?.revision ? (draft.status ?? 'editing') : 'none';
    const editors = draft?.editors ?? (draft?.updatedBy ? [draft.updatedBy] : []);
    const isEditor = Boolean(me && editors.includes(me.username));
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
      approvedText && status !== 'submitted' ? h('p', { class: 'banner banner-ok', id: 'approved-message' }, approvedText) : null,
    );

    // Submit.
    let submitCard: HTMLElement | null = null;
    const canSubmit = supports('post', '/api/tables/{id}/draft/submit');
    const canDecide = supports('post', '/api/tables/{id}/draft/approve');
    if (!canSubmit || !canDecide) {
      info.append(h('p', { class: 'banner banner-info' }, t('error.notAvailable', { path: [!canSubmit && 'draft/submit', !canDecide && 'draft/approve, draft/reject'].filter(Boolean).join('; ') })));
    }
    if (status === 'editing' && hasRole('editor') && canSubmit) {
      const validFrom = h('input', { id: 'submit-valid-from', type: 'date', required: true, value: draft?.validFrom ?? todayIso() });
      const note = h('textarea', { id: 'submit-note', rows: '3', required: true });
      const out = h('div', { 'aria-live': 'polite', id: 'submit-result' });
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
                clear(out, h('p', { class: 'form-error', role: 'alert' }, t('appr.unsaved')));
                return;
              }
              try {
                await api.submit(s.id, validFrom.value, note.value.trim());
                announce(t('appr.submitted'), 'ok');
                await s.reload();
                await render();
              } catch (err) {
                clear(out, h('div', { class: 'form-error', role: 'alert' }, h('p', null, t('appr.submitRefused', { message: errorText(err) })), reportDetails(err)));
              }
            },
          },
          h('label', { for: 'submit-valid-from' }, t('appr.validFrom')),
          validFrom,
          h('label', { for: 'submit-note' }, t('appr.note')),
          note,
          h('span'),
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'submit-draft' }, t('appr.submit'))),
        ),
        out,
      );
    }

    // Approve / reject.
    let decideCard: HTMLElement | null = null;
    if (status === 'submitted' && canDecide) {
      const why = !hasRole('approver') ? t('appr.notApprover') : isEditor ? t('appr.authorCannot', { editors: editors.join(', ') }) : '';
      const reason = h('textarea', { id: 'reject-reason', rows: '2' });
      const out = h('div', { 'aria-live': 'polite', id: 'decide-result' });
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
                try {
                  const r = await api.approve(s.id);
                  approvedText = t('appr.approved', { n: r.version ?? '?', validFrom: formatDate(r.validFrom ?? draft?.validFrom ?? '') });
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
              disabled: !hasRole('approver'),
              onclick: async () => {
                if (!reason.value.trim()) {
                  reason.focus();
                  return;
                }
                try {
                  await api.reject(s.id, reason.value.trim());
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
        out,
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
      api
        .runFixtures(s.id, 'draft')
        .then((r) => {
          const cases = r.cases ?? r.results ?? [];
          const passed = cases.filter((c) => c.pass ?? c.passed ?? c.status === 'pass').length;
          clear(fxOut, h('p', null, t('fx.summary', { passed: r.passed ?? passed, failed: r.failed ?? cases.length - passed })));
        })
        .catch((err: unknown) => clear(fxOut, h('p', { class: 'form-error' }, errorText(err))));
      if (!supports('post', '/api/tables/{id}/draft/impact')) impactOut.append(h('p', { class: 'muted' }, t('error.notAvailable', { path: '/api/tables/{id}/draft/impact' })));
      else impactOut.append(
        h(
          'button',
          {
            type: 'button',
            id: 'impact-run',
            onclick: async () => {
              clear(impactOut, h('p', { role: 'status' }, t('common.loading')));
              try {
                clear(impactOut, impactView(await api.impact(s.id), destroyers));
              } catch (err) {
                clear(impactOut, h('p', { class: 'form-error' }, errorText(err)));
              }
            },
          },
          t('appr.impactRun'),
        ),
      );
    }
    clear(el, h('div', { class: 'approval-cols' }, h('div', null, info, submitCard, decideCard), report));
  };

  await render();
  return { el, destroy: () => destroyers.splice(0).forEach((d) => d()) };
}

function reportDetails(err: unknown): HTMLElement | null {
  if (!(err instanceof ApiError)) return null;
  const body = err.body as { error?: { report?: unknown } } | null;
  return h(
    'div',
    null,
    err.details.length > 0 ? h('ul', null, err.details.map((d) => h('li', null, `${d.path}: ${d.message}`))) : null,
    body?.error?.report ? h('details', null, h('summary', null, t('appr.report')), h('pre', { class: 'small mono' }, JSON.stringify(body.error.report, null, 2))) : null,
  );
}
