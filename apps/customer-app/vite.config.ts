import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    target: 'es2022',
    sourcemap: true,
    // most of the bundle is @pexip/infinity-api's generated validators (~1.1 MB minified, ~185 kB gzip)
    chunkSizeWarningLimit: 1200,
  },
});
