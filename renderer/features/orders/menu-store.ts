import { create } from 'zustand';

/** The chart's right-click order menu: where it is, and the snapped price it was opened at. */
export interface OrderMenuState {
  menu: { x: number; y: number; fqme: string; price: string } | null;
  open(m: NonNullable<OrderMenuState['menu']>): void;
  close(): void;
}

export const useOrderMenu = create<OrderMenuState>((set) => ({
  menu: null,
  open: (menu) => set({ menu }),
  close: () => set({ menu: null }),
}));
