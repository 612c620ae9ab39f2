import type { Route } from './router.ts';

/** A screen: its element, and what to do when it is left. */
export interface View {
  el: HTMLElement;
  /** True while there is unsaved work (leaving asks first). */
  dirty?: () => boolean;
  /** Takes a new route in place (e.g. another tab of the same table); false means "render me anew". */
  update?: (route: Route) => boolean;
  destroy?: () => void;
  title?: string;
}
