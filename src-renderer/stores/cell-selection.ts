import { create } from 'zustand';
import { useErrors } from './errors';
import { useNavigation } from './navigation';
import { useViewer } from './viewer';

/** An object of a run the user picked: in the Viewer by a click, or from a QC tile. */
export interface SelectedCell {
  /** The movie frame it was picked in. */
  frame: number;
  label: number;
  /** Its track, when the run tracked cells: the highlight and the lineage panel follow it. */
  trackId?: number;
}

/** A movie point to bring to the centre of the view, and how large (movie px) the thing there is. */
export interface FocusRequest {
  x: number;
  y: number;
  size: number;
  seq: number;
}

/** Where a QC tile's object is: its run, its frame and label, and its box in movie pixels. */
export interface CellInRun {
  outputDir: string;
  movie: string;
  /** The raw movie the run read (run.json): opened when the Viewer shows another one. */
  moviePath?: string;
  frame: number;
  label: number;
  box: { x: number; y: number; width: number; height: number };
}

interface CellSelectionState {
  selected: SelectedCell | undefined;
  /** Keep the selected cell's track in the middle of the view as frames change (playback too). */
  follow: boolean;
  focus: FocusRequest | undefined;
  select(cell: SelectedCell | undefined): void;
  setFollow(on: boolean): void;
  /** Asks the canvas (which knows its size) to centre (x, y) with an object of `size` px there. */
  focusOn(x: number, y: number, size: number): void;
  /**
   * Shows a run's object in the Viewer: opens the movie the run read if another is shown, shows
   * that run's overlay (replacing another run's), goes to the frame, and centres and highlights
   * the object. Rejects (and says why) when the run or its movie cannot be opened.
   */
  showCell(cell: CellInRun): Promise<void>;
}

let focusSeq = 0;

export const useCellSelection = create<CellSelectionState>((set, get) => ({
  selected: undefined,
  follow: false,
  focus: undefined,
  select: (selected) => set({ selected, ...(selected?.trackId === undefined ? { follow: false } : {}) }),
  setFollow: (follow) => set({ follow }),
  focusOn: (x, y, size) => set({ focus: { x, y, size, seq: ++focusSeq } }),
  showCell: async (cell) => {
    const viewer = useViewer.getState();
    try {
      if (!cell.moviePath && !viewer.movie)
        throw new Error("the run's run.json names no movie: open the movie it analysed in the Viewer first");
      if (cell.moviePath && viewer.movie?.path !== cell.moviePath) await viewer.openMovie(cell.moviePath);
      const overlay = useViewer.getState().runOverlay;
      const dir = cell.outputDir.replace(/[\\/]+$/, '');
      if (!overlay || overlay.outputDir !== dir || overlay.movie !== cell.movie)
        await useViewer.getState().loadRunOverlay(dir, cell.movie);
    } catch (e) {
      useErrors.getState().show(`Could not show ${cell.movie} of ${cell.outputDir} in the Viewer`, e);
      throw e;
    }
    const v = useViewer.getState();
    v.setPlaying(false);
    v.setFrame(cell.frame);
    const trackId = v.runOverlay?.trackIndex?.trackOf(cell.frame, cell.label)?.id;
    get().select({ frame: cell.frame, label: cell.label, ...(trackId !== undefined ? { trackId } : {}) });
    const { x, y, width, height } = cell.box;
    get().focusOn(x + width / 2, y + height / 2, Math.max(width, height));
    useNavigation.getState().setView('viewer');
  },
}));

// A selection belongs to a run of one movie: another movie or another run clears it.
useViewer.subscribe((s, before) => {
  const sel = useCellSelection.getState();
  if (!sel.selected) return;
  const otherMovie = s.movie?.id !== before.movie?.id;
  const otherRun =
    s.runOverlay?.outputDir !== before.runOverlay?.outputDir ||
    s.runOverlay?.movie !== before.runOverlay?.movie;
  if (otherMovie || otherRun) useCellSelection.setState({ selected: undefined, follow: false });
});
