import { create } from 'zustand';
import type { DemoSetup } from '../../src-shared/api';
import { api } from '../app/api';
import { useCollections } from './collections';
import { useConfig } from './config';
import { useErrors } from './errors';
import { useNavigation } from './navigation';
import { useRecent } from './recent';
import { useRuns } from './runs';
import { useViewer } from './viewer';

interface DemoState {
  /** What is being done now, in words ("Importing the demo collection…"). */
  busy: string | undefined;
  /** The demo is set up and waits for the user to run it (the offer dialog shows it). */
  ready: DemoSetup | undefined;
  /**
   * Sets the demo up for someone trying the app: imports the bundled collection, opens the demo
   * movie in the Viewer, puts the demo config (the template with the demo's paths) in the Config
   * editor, and offers to run it. Asks first when the editor holds unsaved changes.
   */
  tryDemo(): Promise<void>;
  /** Runs the demo config over `frames` (`A:B`, empty for all) and shows the Runs view. */
  runDemo(frames: string): Promise<void>;
  dismiss(): void;
}

const show = (title: string, e: unknown) => useErrors.getState().show(title, e);

export const useDemo = create<DemoState>((set, get) => ({
  busy: undefined,
  ready: undefined,
  tryDemo: async () => {
    if (get().busy) return;
    if (!(await useConfig.getState().confirmDiscard('Trying the demo'))) return;
    set({ busy: 'Setting up the demo: importing its model collection…' });
    try {
      const setup = await api().demo.prepare();
      const collections = useCollections.getState();
      await collections.loadLibrary();
      collections.select(setup.collection.id);
      useConfig.getState().setText(setup.configText, { path: setup.configPath, dirty: false });
      useRecent.getState().remember('configs', setup.configPath);
      set({ busy: 'Opening the demo movie…' });
      const viewer = useViewer.getState();
      viewer.setCollection(setup.collection.id);
      await viewer.openMovie(setup.moviePath).catch((e: unknown) => show('Could not open the demo movie', e));
      set({ ready: setup });
    } catch (e) {
      show('The demo could not be set up', e);
    } finally {
      set({ busy: undefined });
    }
  },
  runDemo: async (frames) => {
    const setup = get().ready;
    if (!setup) return;
    try {
      // Force: a demo tried before has results in its folder, and trying it means running it.
      await useRuns.getState().start(setup.configPath, frames, { force: true });
      set({ ready: undefined });
      useNavigation.getState().setView('runs');
    } catch (e) {
      show('The demo run could not start', e);
    }
  },
  dismiss: () => set({ ready: undefined }),
}));
