/**
 * The app's charts, drawn as SVG without a DOM: line charts, stacked histograms and titled image
 * figures, each with title, legend, axes with ticks and units, in a light or dark theme. The
 * renderer draws the trees as React elements; exports and the demo's PNGs write them as SVG
 * files (and PNG through a real SVG renderer: the browser's canvas, resvg in Node).
 */
export * from './bins';
export * from './frame';
export * from './histogram-chart';
export * from './image-figure';
export * from './line-chart';
export * from './memory-chart';
export * from './render';
export * from './svg';
export * from './theme';
export * from './ticks';
