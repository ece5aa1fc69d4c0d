import { create } from 'zustand';

/** What Enter in the symbol search does: load into the focused chart, or overlay on it. */
export type SearchMode = 'load' | 'overlay';

export interface SearchIntent {
  mode: SearchMode;
  /** Bumped by every request: the search box opens and takes the keyboard. */
  seq: number;
  request(mode: SearchMode): void;
  done(): void;
}

/** Buttons elsewhere (a new tab, "+ overlay") open the search for a purpose. */
export const useSearchIntent = create<SearchIntent>((set, get) => ({
  mode: 'load',
  seq: 0,
  request(mode) {
    set({ mode, seq: get().seq + 1 });
  },
  done() {
    if (get().mode !== 'load') set({ mode: 'load' });
  },
}));
