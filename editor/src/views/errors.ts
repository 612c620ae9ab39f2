import { ApiError } from '../api.ts';
import { t } from '../i18n/index.ts';

/** One line for a failed request, in the user's language. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 401) return t('error.unauthenticated');
    // The server explains refusals in English for API clients; people get the reason in their own language.
    if (err.code === 'FOUR_EYES') return t('error.fourEyes');
    if (err.code === 'TABLE_TOO_COSTLY') return t('error.tableTooCostly', { where: err.details[0]?.path.replace(/^\/table\/?/, '') || 'tabel' });
    if (err.code === 'LIMIT_EXCEEDED') return t('error.limitExceeded', { message: err.message });
    if (err.status === 403) return t('error.forbidden');
    if (isMissingEndpoint(err)) return t('error.notAvailable', { path: err.path });
    if (err.status === 404) return t('error.notFound', { message: err.message });
    const details = err.details.slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; ');
    return details ? `${err.message} (${details})` : err.message;
  }
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}

/** True when the endpoint itself does not exist yet on this server (not a 404 for an unknown table). */
export function isMissingEndpoint(err: unknown): boolean {
  if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 405)) return false;
  return err.code === 'NOT_AVAILABLE' || err.code.startsWith('HTTP_') || (err.code === 'NOT_FOUND' && /no such endpoint/i.test(err.message));
}
