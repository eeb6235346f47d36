/**
 * The btrack configuration `hitmic track` uses when given none: btrack's own example
 * `cell_config.json` (btrack's user guide; MIT licence, quantumjot/btrack) with one change,
 * `accuracy` 2.0 (btrack's default) instead of 7.5.
 *
 * `accuracy` is the half-width, in pixels, of the window btrack integrates the predicted position
 * over to get an assignment probability. At 7.5 px — sized for mammalian nuclei — every cell within
 * a few pixels of the prediction is equally likely, and in a packed colony of rods about 7 px wide
 * that lets neighbours swap; at 2 px the nearest cell wins. Everything else (constant-velocity
 * motion model, P σ 150, G σ 15, R σ 5, max_lost 5, prob_not_assign 0.1, the hypothesis model,
 * max_search_radius at btrack's default 100) is cell_config's. On the benchmark's synthetic dense
 * colony it scores link precision and recall ≥ 0.99 and division precision and recall ≥ 0.98
 * (README, Tracking).
 */
export const BACTERIA_BTRACK_CONFIG = {
  name: 'hitmic_bacteria',
  motion_model: {
    name: 'cell_motion',
    dt: 1.0,
    measurements: 3,
    states: 6,
    accuracy: 2.0,
    prob_not_assign: 0.1,
    max_lost: 5,
    A: {
      matrix: [
        1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
        0, 1,
      ],
    },
    H: { matrix: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0] },
    P: {
      sigma: 150.0,
      matrix: [
        0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 1,
      ],
    },
    G: { sigma: 15.0, matrix: [0.5, 0.5, 0.5, 1, 1, 1] },
    R: { sigma: 5.0, matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
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
