import { OrderKeys, type KeyEffect, type Staged } from '../../lib/order-keys.js';
import { useOrders } from '../../stores/orders.js';

/** What the keyboard drives on a chart (order-mode.ts). */
export interface KeyTarget {
  setStaged(s: Staged | null): void;
  cancelUnder(): void;
  cancelAll(): void;
}

/**
 * One keyboard for every chart: the key state machine (lib/order-keys.ts) is shared, and its effects go to the
 * chart under the pointer. Keys count only while the pointer is over a chart and never when typed into a form
 * field (the symbol search, the order ticket). Releases always count, so a key let go elsewhere still unstages.
 */
const keys = new OrderKeys();
const targets = new Set<KeyTarget>();
let hovered: KeyTarget | null = null;

export function registerKeyTarget(t: KeyTarget): () => void {
  targets.add(t);
  if (targets.size === 1) install();
  t.setStaged(keys.staged);
  return () => {
    targets.delete(t);
    if (hovered === t) hovered = null;
    if (targets.size === 0) uninstall();
  };
}

/** The pointer entered (t) or left (null) a chart. */
export function setHoveredTarget(t: KeyTarget | null): void {
  hovered = t;
}

export function isHovered(t: KeyTarget): boolean {
  return hovered === t;
}

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
}

function run(effects: readonly KeyEffect[]): void {
  for (const e of effects) {
    switch (e.kind) {
      case 'stage':
        for (const t of targets) t.setStaged(e.staged);
        break;
      case 'unstage':
        for (const t of targets) t.setStaged(null);
        break;
      case 'cancel-under':
        hovered?.cancelUnder();
        break;
      case 'cancel-all':
        hovered?.cancelAll();
        break;
      case 'slots':
        useOrders.getState().setAlloc({ slots: e.slots });
        break;
    }
  }
}

const onKeyDown = (e: KeyboardEvent) => {
  if (!hovered || e.altKey || e.metaKey || isEditable(e.target)) return;
  const r = keys.down({ key: e.key, repeat: e.repeat, ctrl: e.ctrlKey, time: e.timeStamp });
  if (r.handled) e.preventDefault();
  run(r.effects);
};

const onKeyUp = (e: KeyboardEvent) => {
  run(keys.up({ key: e.key, ctrl: e.ctrlKey, time: e.timeStamp }).effects);
};

const onBlur = () => run(keys.reset());

function install(): void {
  window.addEventListener('keydown', onKeyDown);
  window.addEventListener('keyup', onKeyUp);
  window.addEventListener('blur', onBlur);
}

function uninstall(): void {
  window.removeEventListener('keydown', onKeyDown);
  window.removeEventListener('keyup', onKeyUp);
  window.removeEventListener('blur', onBlur);
  run(keys.reset());
}
