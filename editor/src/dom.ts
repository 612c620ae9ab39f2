// A small hyperscript helper: the editor is plain TypeScript with DOM nodes (no framework runtime), because the
// grid needs direct control over its rows for virtualisation and the rest of the screens are simple forms.

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown> & { class?: string; style?: string; dataset?: Record<string, string> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = String(value);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
      } else if (key === 'value' && 'value' in el) (el as unknown as { value: string }).value = String(value);
      else if (key === 'checked' || key === 'disabled' || key === 'selected' || key === 'readOnly' || key === 'hidden') {
        (el as unknown as Record<string, boolean>)[key] = Boolean(value);
      } else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let liveRegion: HTMLElement | null = null;

/** Says something to screen readers (and shows it briefly as a toast). */
export function announce(message: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
  if (!liveRegion) {
    liveRegion = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(liveRegion);
  }
  liveRegion.textContent = message;
  liveRegion.className = `toast toast-${kind} show`;
  const region = liveRegion;
  window.setTimeout(() => {
    if (region.textContent === message) region.className = `toast toast-${kind}`;
  }, kind === 'error' ? 8000 : 3500);
}

/** A modal dialog using <dialog>: resolves with the value the body's submit gives, or null when cancelled. */
export function modal<T>(title: string, build: (close: (value: T | null) => void) => Node): Promise<T | null> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'modal', 'aria-label': title });
    let done = false;
    const close = (value: T | null): void => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(null);
    });
    append(dialog, [h('h2', null, title), build(close)]);
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: number | undefined;
  return (...args: A) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), ms);
  };
}
