import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// React via Vite's built-in JSX transform (tsconfig "jsx": "react-jsx"); no plugin needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // no inline scripts or module-preload polyfill: the CSP allows 'self' scripts only
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rolldownOptions: {
      onwarn(warning, defaultHandler) {
        // react-router ships "use client" directives; meaningless in a client-only bundle
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        defaultHandler(warning);
      },
    },
  },
});
