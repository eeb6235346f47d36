import { create } from 'zustand';

/** A question the user must answer before something is lost or removed. */
export interface ConfirmRequest {
  title: string;
  message: string;
  /** Facts listed under the message (e.g. the saved configs that use a collection). */
  details?: string[];
  /** The button that goes ahead, in words of what it does ("Remove", "Discard changes"). */
  confirmLabel: string;
  cancelLabel?: string;
  /** The action destroys something: its button is red and not the default. */
  danger?: boolean;
}

interface ConfirmState {
  request: (ConfirmRequest & { resolve(ok: boolean): void }) | undefined;
  /** Shows the question; resolves true when the user goes ahead, false on cancel or Escape. */
  ask(request: ConfirmRequest): Promise<boolean>;
  answer(ok: boolean): void;
}

/** One confirmation at a time (a second question waits for the first to be answered). */
export const useConfirm = create<ConfirmState>((set, get) => {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    request: undefined,
    ask: (request) => {
      const turn = queue.then(
        () => new Promise<boolean>((resolve) => set({ request: { ...request, resolve } })),
      );
      queue = turn;
      return turn;
    },
    answer: (ok) => {
      const r = get().request;
      set({ request: undefined });
      r?.resolve(ok);
    },
  };
});
