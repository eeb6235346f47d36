import { create } from 'zustand';
import type { AppInfo } from '../../src-shared/api';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

interface ConnectionState {
  status: ConnectionStatus;
  info: AppInfo | undefined;
  setStatus(status: ConnectionStatus): void;
  setInfo(info: AppInfo): void;
}

/** Whether the backend answers, and what it says about itself (shown in the status bar). */
export const useConnection = create<ConnectionState>((set) => ({
  status: 'connecting',
  info: undefined,
  setStatus: (status) => set({ status }),
  setInfo: (info) => set({ info }),
}));
