// Choosing a version on two clocks (docs/architecture.md). The rule itself lives in the engine (server/engine/versions.ts), so
// evaluate, batch, fixtures, impact, the CLI and the editor pick versions the same way; this module is the store's
// door to it.
import { dateInAmsterdam, selectVersion, type VersionSelection } from '../engine/versions.ts';

export { selectVersion };
export type Selection = VersionSelection;

/** Today's date in the municipality's time zone, `yyyy-mm-dd`. */
export function today(now: Date = new Date()): string {
  return dateInAmsterdam(now);
}
