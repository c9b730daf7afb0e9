import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from app://quicksend/ in Electron and from the web host in tests,
// so every URL in the built HTML is relative.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    // No inline scripts or module-preload polyfill: the CSP forbids inline code.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
