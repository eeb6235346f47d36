import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is served over http by `hitmic serve` and loaded from disk by Electron,
// so every asset URL must be relative.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
