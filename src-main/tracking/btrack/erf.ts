/**
 * The error function pieces btrack's assignment probability needs, accurate in the tails (a
 * probability of 1e-30 must not come out as 0 or negative through cancellation).
 */

/**
 * erfc(x) with a relative error below 1.2·10⁻⁷ everywhere (the Chebyshev-fitted approximation of
 * Press et al., Numerical Recipes, §6.2).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/**
 * Mass of a centred Gaussian of standard deviation `sigma` within ±`halfWidth` of `d`:
 * ½·[erf((d + w)/(σ√2)) − erf((d − w)/(σ√2))], btrack's per-axis `probability_erf`.
 */
export function axisMass(d: number, sigma: number, halfWidth: number): number {
  const s = sigma * Math.SQRT2;
  const a = (Math.abs(d) - halfWidth) / s;
  const b = (Math.abs(d) + halfWidth) / s;
  // Both ends in the upper tail: subtract the small complements, not two numbers near 1.
  return a > 0 ? 0.5 * (erfc(a) - erfc(b)) : 0.5 * (2 - erfc(b) - erfc(-a));
}
