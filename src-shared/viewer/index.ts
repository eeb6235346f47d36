/**
 * What the Viewer computes without a DOM: channel composites and the class palette, contrast,
 * the frame cache, label outlines, view transforms, where each layer sits in the movie, and a
 * run's objects per frame.
 */
export * from './class-palette';
export * from './colormap';
export * from './contrast';
export * from './frame-cache';
export * from './outline';
export * from './placement';
export * from './run-objects';
export * from './transform';
export * from './stage-layers';
