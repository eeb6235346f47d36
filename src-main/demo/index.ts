/**
 * The bundled demo: `hitmic demo` runs the main job on the demo movie with the demo collection,
 * writes preview figures (PNG, drawn here without a browser) and scores the run against the
 * demo's ground truth (segmentation F1, class and PI accuracy, track links, divisions). "Try the
 * demo" (prepareDemo) sets it up for the UI: collection in the library, config from the template.
 */
export { demoConfig, demoPaths, evaluateRun, runDemo, type DemoReport } from './demo';
export { evaluate, matchFrame, type Evaluation } from './evaluate';
export { defaultDemoDir, demoConfigFromTemplate, prepareDemo, type DemoWorkspace } from './try-demo';
