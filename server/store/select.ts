// Choosing a version on two clocks (DESIGN §5). The rule itself lives with the fixture runner in the engine
// (server/engine/fixture-runner.ts), so fixtures, the CLI and the API pick versions the same way; this module is
// the store's door to it.
import { dateInAmsterdam, selectVersion, type VersionSelection } from '../engine/fixture-runner.ts';

export { selectVersion };
export type Selection = VersionSelection;

/** Today's date in the municipality's time zone, `yyyy-mm-dd`. */
export function today(now: Date = new Date()): string {
  return dateInAmsterdam(now);
}
