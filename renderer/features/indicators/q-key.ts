/**
 * Hold `q`: the chart under the pointer shows every indicator's value at the bar under the cursor. One listener for
 * the window; keys typed into form fields (search, order ticket, the indicator menu) do not count, and losing the
 * focus lets go.
 */
type Listener = (held: boolean) => void;

const listeners = new Set<Listener>();
let held = false;

function set(next: boolean): void {
  if (next === held) return;
  held = next;
  for (const l of listeners) l(held);
}

/** Whether a key event's target is a form field (its keys are its own, not the chart's). */
export function editable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
}

const onDown = (e: KeyboardEvent) => {
  if (e.key.toLowerCase() !== 'q' || e.ctrlKey || e.altKey || e.metaKey || editable(e.target)) return;
  set(true);
};
const onUp = (e: KeyboardEvent) => {
  if (e.key.toLowerCase() === 'q') set(false);
};
const onBlur = () => set(false);

export function isQHeld(): boolean {
  return held;
}

/** Calls `l` whenever q is pressed or let go; returns the unsubscription. */
export function onQHold(l: Listener): () => void {
  if (listeners.size === 0) {
    window.addEventListener('keydown', onDown);
    window.addEventListener('keyup', onUp);
    window.addEventListener('blur', onBlur);
  }
  listeners.add(l);
  return () => {
    listeners.delete(l);
    if (listeners.size > 0) return;
    window.removeEventListener('keydown', onDown);
    window.removeEventListener('keyup', onUp);
    window.removeEventListener('blur', onBlur);
    held = false;
  };
}
