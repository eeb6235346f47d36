import { create } from 'zustand';
import { defaultSettings, type LayerSettings, type ViewerLayer } from '../../src-shared/viewer';

/**
 * The Viewer's layer list: what the user set for each layer (visible, opacity, colour map, …) and
 * the layers other parts of the app add beside the built-in ones.
 *
 * Built-in layers (made from the movie and the Viewer's state each frame, src-renderer/views/
 * viewer/layers.ts): `raw:<channel>` per movie channel, `restored` and `preview-labels` of a
 * preview, `run-labels` and `tracks` of a finished run. To show something else as a layer (test
 * mode's stage outputs, for example) call `putLayer` with an `ImageLayer` or `LabelsLayer`
 * (src-shared/viewer/layers.ts): a unique `id`, a `name`, its pixels, `translate` (where its pixel
 * (0, 0) lies in the movie) and, for a result of one frame, `frame`. Putting a layer with the same
 * id again replaces its pixels and keeps the user's settings; `removeLayer` takes it away. Added
 * layers are listed and drawn above the built-in ones, in the order they were first put.
 */
interface LayersState {
  /** Layers added by other parts of the app, drawn above the built-in ones. */
  added: ViewerLayer[];
  /** What the user chose per layer id; a layer without an entry uses its defaults. */
  settings: Record<string, Partial<LayerSettings>>;
  /** The layer whose controls are open in the list. */
  selected: string | undefined;
  /** Adds a layer, or replaces the pixels of the one with the same id (its settings stay). */
  putLayer(layer: ViewerLayer): void;
  removeLayer(id: string): void;
  /** Changes settings of a layer; opacity is clipped to 0–1. */
  setLayer(id: string, patch: Partial<LayerSettings>): void;
  select(id: string | undefined): void;
  /** Forgets every choice (a new movie starts from each layer's defaults). */
  resetSettings(): void;
}

export const useLayers = create<LayersState>((set) => ({
  added: [],
  settings: {},
  selected: undefined,
  putLayer: (layer) =>
    set((s) => {
      const i = s.added.findIndex((l) => l.id === layer.id);
      if (i < 0) return { added: [...s.added, layer] };
      const added = [...s.added];
      added[i] = layer;
      return { added };
    }),
  removeLayer: (id) =>
    set((s) => ({
      added: s.added.filter((l) => l.id !== id),
      selected: s.selected === id ? undefined : s.selected,
    })),
  setLayer: (id, patch) =>
    set((s) => {
      const p = { ...patch };
      if (p.opacity !== undefined)
        p.opacity = Math.min(1, Math.max(0, Number.isFinite(p.opacity) ? p.opacity : 1));
      return { settings: { ...s.settings, [id]: { ...s.settings[id], ...p } } };
    }),
  select: (selected) => set({ selected }),
  resetSettings: () => set({ settings: {}, selected: undefined }),
}));

/** A layer's settings: the user's choices over the layer's defaults. */
export function settingsOf(
  layer: ViewerLayer,
  settings: Record<string, Partial<LayerSettings>>,
): LayerSettings {
  return { ...defaultSettings(layer), ...settings[layer.id] };
}
