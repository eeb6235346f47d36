/**
 * What the Viewer computes without a DOM: channel composites and the class palette, contrast (per
 * frame, or for the whole movie from a sample of frames, and the fields that type it), the frame
 * cache, the layer model and colour maps, label outlines, view transforms, where each layer sits in
 * the movie, a run's objects per frame, track tails, and physical units (scale bar, µm, hh:mm:ss).
 */
export * from './class-palette';
export * from './colormap';
export * from './contrast';
export * from './contrast-input';
export * from './frame-cache';
export * from './layers';
export * from './movie-contrast';
export * from './outline';
export * from './placement';
export * from './run-objects';
export * from './tracks';
export * from './transform';
export * from './stage-layers';
export * from './units';
