// The browser's own form messages ("Please fill out this field.") are in the browser's language, not the editor's:
// every invalid field gets the editor's words instead, once for the whole page. A field may say more itself with
// `data-invalid-message` (what a valid value looks like) or by setting its own custom validity (the date fields).
import { t } from './i18n/index.ts';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function isField(el: EventTarget | null): el is Field {
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

/** The editor's words for what is wrong with `field`, or '' when the browser finds nothing wrong apart from ours. */
export function validationText(field: Field): string {
  const v = field.validity;
  const own = field.dataset.invalidMessage;
  if (v.valueMissing) return t('form.required');
  if (v.badInput || v.typeMismatch) return own ?? (field.type === 'number' ? t('form.number') : t('form.invalid'));
  if (v.patternMismatch) return own ?? t('form.invalid');
  if (v.tooShort) return t('form.tooShort', { n: (field as HTMLInputElement).minLength });
  if (v.tooLong) return t('form.tooLong', { n: (field as HTMLInputElement).maxLength });
  if (v.rangeUnderflow) return t('form.min', { n: (field as HTMLInputElement).min });
  if (v.rangeOverflow) return t('form.max', { n: (field as HTMLInputElement).max });
  if (v.stepMismatch) return t('form.step');
  return '';
}

let installed = false;

/** Words every form field's validation in the editor's language (call once). */
export function installValidationMessages(doc: Document = document): void {
  if (installed) return;
  installed = true;
  // Capture: runs before the field's own listeners, which may then set a message of their own.
  doc.addEventListener(
    'input',
    (e) => {
      if (isField(e.target) && e.target.dataset.ownValidity === undefined) e.target.setCustomValidity('');
    },
    true,
  );
  doc.addEventListener(
    'invalid',
    (e) => {
      const field = e.target;
      if (!isField(field) || field.validity.customError) return;
      const text = validationText(field);
      if (text) field.setCustomValidity(text);
    },
    true,
  );
}
