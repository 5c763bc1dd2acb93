import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The end-to-end tests build without precompressing (gzip + brotli of every asset: slow).
    adapter: adapter({ precompress: process.env.ASCEND_E2E_BUILD !== '1' }),
    // SvelteKit signs its own inline scripts (nonce or hash); hooks.server.ts adds connect-src for
    // the Supabase API (known only at runtime) and the other security headers.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte transitions and positioned popovers set inline styles.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
