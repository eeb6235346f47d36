export * from './class-palette';
export * from './colormap';
export * from './contrast';
export * from './frame-cache';
export * from './outline';
export * from './run-objects';
export * from './transform';
