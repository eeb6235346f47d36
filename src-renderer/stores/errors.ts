import { create } from 'zustand';

export interface ShownError {
  id: number;
  title: string;
  message: string;
  code?: string;
}

interface ErrorState {
  errors: ShownError[];
  show(title: string, err: unknown): void;
  dismiss(id: number): void;
}

let nextId = 1;

/** Errors waiting to be read by the user, newest last. Each has what happened and what to do. */
export const useErrors = create<ErrorState>((set) => ({
  errors: [],
  show: (title, err) => {
    const e = err as { message?: unknown; code?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(err);
    const code = typeof e?.code === 'string' ? e.code : undefined;
    set((s) => ({ errors: [...s.errors, { id: nextId++, title, message, code }] }));
  },
  dismiss: (id) => set((s) => ({ errors: s.errors.filter((x) => x.id !== id) })),
}));
