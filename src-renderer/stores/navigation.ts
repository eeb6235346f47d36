import { create } from 'zustand';

export const VIEWS = ['collections', 'config', 'viewer', 'qc', 'runs', 'resources', 'results'] as const;
export type ViewId = (typeof VIEWS)[number];

export function isViewId(v: string): v is ViewId {
  return (VIEWS as readonly string[]).includes(v);
}

interface NavigationState {
  view: ViewId;
  aboutOpen: boolean;
  shortcutsOpen: boolean;
  setView(view: ViewId): void;
  setAboutOpen(open: boolean): void;
  setShortcutsOpen(open: boolean): void;
}

function initialView(): ViewId {
  const hash = typeof window !== 'undefined' ? window.location.hash.replace(/^#\/?/, '') : '';
  return isViewId(hash) ? hash : 'collections';
}

/** Which view is shown; mirrored in the URL hash so reloads and links keep the place. */
export const useNavigation = create<NavigationState>((set) => ({
  view: initialView(),
  aboutOpen: false,
  shortcutsOpen: false,
  setView: (view) => {
    if (!isViewId(view)) throw new Error(`unknown view '${String(view)}'`);
    if (typeof window !== 'undefined') window.history.replaceState(null, '', `#/${view}`);
    set({ view });
  },
  setAboutOpen: (aboutOpen) => set({ aboutOpen }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
}));
