export * from './pixel-source';
