import { ApiError } from '../api.ts';
import { EngineError } from '../../../server/engine/index.ts';
import { engineErrorText, isMessageKey, lang, problemText, t } from '../i18n/index.ts';

/**
 * One line for a failed request, in the user's language. The server explains refusals in English for API clients;
 * people get the reason from its code (`api.<CODE>` in the dictionaries) and each per-field problem from its own code.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.code === 'FOUR_EYES') return t('error.fourEyes');
    if (err.code === 'TABLE_TOO_COSTLY') return t('error.tableTooCostly', { where: err.details[0]?.path.replace(/^\/table\/?/, '') || 'tabel' });
    if (err.code === 'LIMIT_EXCEEDED') return t('error.limitExceeded', { message: err.message });
    const key = `api.${err.code}`;
    const reason = isMessageKey(key)
      ? t(key)
      : err.status === 401
        ? t('error.unauthenticated')
        : err.status === 403
          ? t('error.forbidden')
          : isMissingEndpoint(err)
            ? t('error.notAvailable', { path: err.path })
            : t('error.server', { code: err.code, message: err.message });
    const details = err.details.slice(0, 5).map((d) => `${d.path}: ${problemText(d)}`).join('; ');
    return details ? `${reason} (${details})` : reason;
  }
  if (err instanceof EngineError) return engineErrorText(err);
  return lang() === 'en' ? t('error.generic', { message: err instanceof Error ? err.message : String(err) }) : t('error.generic');
}

/**
 * A refusal that names fields of a form: "<intro> <Field>: <problem>; …", each problem worded from its code, when every
 * field it names is one of `labels` (by JSON path); otherwise errorText.
 */
export function fieldsErrorText(err: unknown, labels: Record<string, string>, intro: (problems: string) => string): string {
  if (err instanceof ApiError && err.details.length > 0 && err.details.every((d) => labels[d.path] !== undefined)) {
    return intro(err.details.map((d) => `${labels[d.path]!}: ${problemText(d)}`).join('; '));
  }
  return errorText(err);
}

/** True when the endpoint itself does not exist yet on this server (not a 404 for an unknown table). */
export function isMissingEndpoint(err: unknown): boolean {
  if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 405)) return false;
  return err.code === 'NOT_AVAILABLE' || err.code.startsWith('HTTP_') || (err.code === 'NOT_FOUND' && /no such endpoint/i.test(err.message));
}
