// Who the Algoritmeregister export speaks for: the organisation and its contact address, from the command's options,
// else the environment (the server reads the same variables), else Enschede's name and no contact (left to complete).
import { isContact, type RegisterSettings } from './export.ts';
import { RegisterExportError } from './collect.ts';

export const DEFAULT_ORGANISATION = 'Gemeente Enschede';

export function registerSettings(options: { organisation?: string; contact?: string } = {}, env: NodeJS.ProcessEnv = process.env): RegisterSettings {
  const organisation = (options.organisation ?? env.BESLIS_ORGANISATION ?? '').trim() || DEFAULT_ORGANISATION;
  const contact = (options.contact ?? env.BESLIS_ALGORITMEREGISTER_CONTACT ?? '').trim();
  if (organisation.length > 100) throw new RegisterExportError('INVALID_SETTING', `the organisation's name has ${organisation.length} characters; the register takes at most 100`);
  if (contact && !isContact(contact)) {
    throw new RegisterExportError('INVALID_SETTING', `the contact '${contact}' is neither an e-mail address nor an https:// address, as the register asks (--contact or BESLIS_ALGORITMEREGISTER_CONTACT)`);
  }
  return contact ? { organisation, contact } : { organisation };
}
