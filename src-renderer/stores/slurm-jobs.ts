import { create } from 'zustand';
import type {
  BatchSummary,
  ClusterAvailability,
  ClusterJobStatus,
  ClusterResources,
} from '../../src-shared/api';
import { api } from '../app/api';
import { useRecent } from './recent';

/** How often unfinished jobs are asked about: Slurm's own tools poll no faster. */
export const CLUSTER_POLL_MS = 5000;

/** The resource fields as the panel's text boxes hold them. */
export type ResourceFields = Partial<Record<keyof ClusterResources, string>>;

interface ClusterState {
  /** Whether the backend can submit (sbatch on its PATH); null until asked. */
  availability: ClusterAvailability | null;
  /** Followed jobs, newest first. */
  jobIds: string[];
  jobs: Record<string, ClusterJobStatus>;
  /** Last batch summary per output folder. */
  summaries: Record<string, BatchSummary>;
  checkAvailable(): Promise<void>;
  /**
   * Submits the config's movies (frames `A:B` when given) with these resources; rejects with a
   * BAD_INPUT error when a field is not of its type, or when the backend or Slurm refuses.
   */
  submit(configPath: string, frames: string, fields: ResourceFields): Promise<string>;
  /** Follows a job submitted elsewhere (`hitmic submit`), by its id. */
  track(jobId: string): Promise<void>;
  refresh(jobId: string): Promise<void>;
  retry(jobId: string): Promise<string>;
  collect(outputDir: string): Promise<BatchSummary>;
  /** Polls every unfinished job until the returned stop is called. */
  follow(): () => void;
}

const INT_FIELDS = new Set<keyof ClusterResources>(['gpus', 'cpusPerTask', 'arrayMax']);

/** Text boxes → typed resources: empty ones left out, whole numbers where the contract wants them. */
export function resourcesFromFields(fields: ResourceFields): ClusterResources {
  const out: Record<string, string | number> = {};
  for (const [k, raw] of Object.entries(fields) as [keyof ClusterResources, string | undefined][]) {
    const v = raw?.trim();
    if (!v) continue;
    if (INT_FIELDS.has(k)) {
      if (!/^\d+$/.test(v)) throw { code: 'BAD_INPUT', message: `${k} must be a whole number, not '${v}'.` };
      out[k] = Number(v);
    } else out[k] = v;
  }
  return out as ClusterResources;
}

export const useCluster = create<ClusterState>((set, get) => {
  const remember = (s: ClusterJobStatus) =>
    set((st) => ({
      jobs: { ...st.jobs, [s.jobId]: s },
      jobIds: st.jobIds.includes(s.jobId) ? st.jobIds : [s.jobId, ...st.jobIds],
    }));
  return {
    availability: null,
    jobIds: [],
    jobs: {},
    summaries: {},
    checkAvailable: async () => set({ availability: await api().cluster.available() }),
    submit: async (configPath, frames, fields) => {
      const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(frames);
      if (frames.trim() && !m)
        throw { code: 'BAD_INPUT', message: `Frames must look like A:B (e.g. 0:5), not '${frames}'.` };
      const resources = resourcesFromFields(fields);
      useRecent.getState().remember('configs', configPath.trim());
      const sub = await api().cluster.submit({
        configPath: configPath.trim(),
        frames: m ? [Number(m[1]), Number(m[2])] : undefined,
        ...resources,
      });
      await get().track(sub.jobId);
      return sub.jobId;
    },
    track: async (jobId) => remember(await api().cluster.status(jobId.trim())),
    refresh: async (jobId) => remember(await api().cluster.status(jobId)),
    retry: async (jobId) => {
      const sub = await api().cluster.retry(jobId);
      await get().track(sub.jobId);
      await get().refresh(jobId);
      return sub.jobId;
    },
    collect: async (outputDir) => {
      const summary = await api().cluster.collect(outputDir);
      set((st) => ({ summaries: { ...st.summaries, [outputDir]: summary } }));
      return summary;
    },
    follow: () => {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        const going = get().jobIds.filter((id) => !get().jobs[id]?.finished);
        // A failed poll (Slurm busy, backend reconnecting) is retried at the next tick.
        void Promise.allSettled(going.map((id) => get().refresh(id))).finally(() => (busy = false));
      }, CLUSTER_POLL_MS);
      return () => clearInterval(timer);
    },
  };
});
