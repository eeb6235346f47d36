/**
 * The btrack configuration `hitmic track` uses when given none, for rod-shaped bacteria in packed
 * colonies imaged every few minutes. It is btrack's own example `cell_config.json` (btrack's user
 * guide; MIT licence, quantumjot/btrack) — the same constant-velocity motion model and hypothesis
 * model — with the noise scaled to such movies:
 *
 * - `accuracy` 2 px (btrack's default; cell_config 7.5): the half-width of the window btrack
 *   integrates the predicted position over. At 7.5 px, sized for mammalian nuclei, every cell within
 *   a few pixels of the prediction is about equally likely, and in a colony of rods ~7 px wide
 *   neighbours swap; at 2 px the nearest wins;
 * - P σ 10 (150), G σ 1 (15), R σ 1 (5): centroids from masks are precise and cells move a few
 *   pixels per frame, smoothly; with cell_config's P a new track's prediction is too wide for a ±2 px
 *   window and the first pass would link nothing, leaving everything to the global one;
 * - prob_not_assign 0.01 (0.1), max_lost 2 (5), max_search_radius 20 px (btrack's default 100).
 *
 * On the benchmark's synthetic dense colony it scores link precision and recall ≥ 0.98 and
 * division precision and recall ≥ 0.95 (README, Tracking; btrack's cell_config as published: division
 * recall 0.86).
 */
export const BACTERIA_BTRACK_CONFIG = {
  name: 'hitmic_bacteria',
  max_search_radius: 20,
  motion_model: {
    name: 'bacteria_motion',
    dt: 1.0,
    measurements: 3,
    states: 6,
    accuracy: 2.0,
    prob_not_assign: 0.01,
    max_lost: 2,
    A: {
      matrix: [
        1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
        0, 1,
      ],
    },
    H: { matrix: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0] },
    P: {
      sigma: 10.0,
      matrix: [
        0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 1,
      ],
    },
    G: { sigma: 1.0, matrix: [0.5, 0.5, 0.5, 1, 1, 1] },
    R: { sigma: 1.0, matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  },
  hypothesis_model: {
    name: 'cell_hypothesis',
    hypotheses: ['P_FP', 'P_init', 'P_term', 'P_link', 'P_branch', 'P_dead'],
    lambda_time: 5.0,
    lambda_dist: 3.0,
    lambda_link: 10.0,
    lambda_branch: 50.0,
    eta: 1e-10,
    theta_dist: 20.0,
    theta_time: 5.0,
    dist_thresh: 40,
    time_thresh: 2,
    apop_thresh: 5,
    segmentation_miss_rate: 0.1,
    apoptosis_rate: 0.001,
    relax: true,
  },
} as const;

/** The configuration as the text of a btrack JSON file (for `config_path` or a collection). */
export function bacteriaBtrackConfigText(): string {
  return `${JSON.stringify(BACTERIA_BTRACK_CONFIG, null, 2)}\n`;
}
