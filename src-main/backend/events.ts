import type { HitmicEventName, HitmicEvents } from '../../src-shared/api';

type Listener<E extends HitmicEventName> = (payload: HitmicEvents[E]) => void;

/** Typed event bus from the backend to whichever shell is listening (IPC, WebSocket, CLI). */
export class BackendEvents {
  private readonly listeners = new Map<HitmicEventName, Set<Listener<HitmicEventName>>>();

  on<E extends HitmicEventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<HitmicEventName>);
    return () => set.delete(listener as Listener<HitmicEventName>);
  }

  emit<E extends HitmicEventName>(event: E, payload: HitmicEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch {
        // One broken listener (e.g. a closed socket) must not stop the others.
      }
    }
  }
}
