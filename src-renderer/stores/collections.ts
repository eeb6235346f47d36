import { create } from 'zustand';
import type { CollectionInspection, CollectionSummary, VerifyReport } from '../../src-shared/api';

interface CollectionsState {
  library: CollectionSummary[];
  selectedId: string | undefined;
  inspection: CollectionInspection | undefined;
  verify: VerifyReport | undefined;
  busy: string | undefined;
  setLibrary(library: CollectionSummary[]): void;
  select(id: string | undefined): void;
  setInspection(i: CollectionInspection | undefined): void;
  setVerify(v: VerifyReport | undefined): void;
  setBusy(what: string | undefined): void;
}

export const useCollections = create<CollectionsState>((set) => ({
  library: [],
  selectedId: undefined,
  inspection: undefined,
  verify: undefined,
  busy: undefined,
  setLibrary: (library) => set({ library }),
  select: (selectedId) => set({ selectedId, inspection: undefined, verify: undefined }),
  setInspection: (inspection) => set({ inspection }),
  setVerify: (verify) => set({ verify }),
  setBusy: (busy) => set({ busy }),
}));

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
