import type { FrameData } from '../types';

/**
 * Previews: restoration, segmentation and classification of the frame in front of the user,
 * with the current config, in a worker (the Viewer's "what does the model do here").
 */
export interface PreviewsApi {
  run(request: PreviewRequest): Promise<PreviewResult>;
}

export interface PreviewRequest {
  movieId: string;
  frame: number;
  /** Model keys to chain on this frame, e.g. ['bf_focus', 'segmentation', 'cell_classifier']. */
  steps: string[];
  /** YAML text of the config in the editor; its inferer settings drive the preview. */
  configText?: string;
}

export interface PreviewResult {
  restored?: FrameData;
  labels?: FrameData;
  objects?: { label: number; className?: string; confidence?: number }[];
  elapsedMs: number;
}

