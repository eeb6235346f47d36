/**
 * scikit-learn classifiers from `.pkl`/`.joblib` files, evaluated in TypeScript: see model.ts for
 * the runner, estimators.ts for what is supported, and io/pickle for the safe reader underneath.
 */
export { SklearnModelError, type SklearnModelErrorFields } from './errors';
export {
  loadSklearnModel,
  SKLEARN_INPUT,
  SKLEARN_LABEL,
  SKLEARN_PROBABILITIES,
  type SklearnModel,
} from './model';
export { SKLEARN_GLOBALS, SUPPORTED_ESTIMATORS } from './estimators';
