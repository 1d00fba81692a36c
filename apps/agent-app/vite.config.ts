import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const sdk = fileURLToPath(new URL('../../node_modules/purecloud-platform-client-v2/src/purecloud-platform-client-v2/', import.meta.url));
const empty = fileURLToPath(new URL('./src/vendor-shims/empty.js', import.meta.url));

// The Genesys Platform SDK's `browser` field is a browserify bundle that only sets a global; its ES
// module sources build, with its Node-only logger and config reader (behind `typeof window`
// checks) replaced by an empty module. The app imports the four API classes it uses from their
// source files, so the rest of the SDK is not bundled.
export default defineConfig({
  base: './',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^purecloud-platform-client-v2\/(.*)$/, replacement: `${sdk}$1` },
      { find: /^(winston|configparser|fs|os|path)$/, replacement: empty },
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // the SDK and Pexip's client weigh ~120 kB gzip together; keep one warning threshold that means something
    chunkSizeWarningLimit: 700,
  },
});
