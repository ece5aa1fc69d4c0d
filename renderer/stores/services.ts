import { create } from 'zustand';
import type { ServiceInfo } from '../../core/protocol/types.js';

export interface ServicesStore {
  services: ServiceInfo[];
  /** False until the first list arrives, so the panel can tell "none running" from "not known yet". */
  known: boolean;
  panelOpen: boolean;
  setServices(list: ServiceInfo[]): void;
  togglePanel(): void;
}

export const useServices = create<ServicesStore>((set) => ({
  services: [],
  known: false,
  panelOpen: true,
  setServices: (list) => set({ services: [...list].sort((a, b) => a.name.localeCompare(b.name)), known: true }),
  togglePanel: () => set((s) => ({ panelOpen: !s.panelOpen })),
}));
