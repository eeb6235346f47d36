/**
 * Test mode inside a worker: a config's whole pipeline on a few frames, stage by stage through a
 * cache of stage outputs kept in the worker's memory (stage-cache.ts) under keys that change
 * exactly when a stage's inputs, settings or model file change (stage-keys.ts).
 */
export { runTestMode } from './run-test-mode';
export { defaultCacheBudget, StageCache, type CacheStats } from './stage-cache';
export { canonicalJson, stageKey, testModeKeys, type KeyFacts, type StageKeys } from './stage-keys';
export { TEST_MODE_PIPELINES, type TestModeDeps, type TestModeOutput, type TestModeParams } from './types';
