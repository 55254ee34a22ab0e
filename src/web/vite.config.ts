/**
 * Vite build of the web UI. Root is `src/web`; the bundle lands in `<repo>/dist/web`, which the
 * server serves (with an index.html fallback for history routing).
 * Run with `npm run build:web` (`vite build --config src/web/vite.config.ts`).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const webRoot = fileURLToPath(new URL('.', import.meta.url))
const outDir = fileURLToPath(new URL('../../dist/web', import.meta.url))
/** Where `vite` (dev) and `vite preview` send /api; the app server's default port. */
const apiTarget = process.env.XZT_API_PROXY ?? 'http://localhost:8080'
/** A RegExp key (leading ^): a plain '/api' prefix would also swallow the module `/api.ts`. */
const apiProxy = { '^/api/': { target: apiTarget, changeOrigin: false } }

/**
 * Vendor chunk groups: big libraries get their own cacheable chunks. Pages load lazily (see app.tsx), so
 * the `antd` chunk takes only what the initial load needs (`$initial`: statically imported from the entry:
 * the shell and the login page). The rest of antd goes where the bundler's automatic splitting puts it:
 * components one page uses into that page's chunk, components several pages share into chunks of their
 * own, and what only the matter form uses (DatePicker and its dayjs plugins, Slider, …) into the lazily
 * loaded form chunk, with react-jsonschema-form and Ajv.
 */
const vendorGroups = [
  // ECharts is only reached through the lazily imported map component, so this chunk loads on demand.
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 30 },
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 },
  { name: 'antd-icons', test: /node_modules[\\/]@ant-design[\\/]icons(-svg)?[\\/]/, priority: 15 },
  {
    name: 'antd',
    test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|dayjs|classnames|clsx|stylis)[\\/]/,
    priority: 10,
    tags: ['$initial' as const],
  },
]

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // ECharts (on demand), the initial antd and the matter form (rjsf, Ajv, antd's pickers) are each
    // about 0.55 MB minified; warn beyond that.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: vendorGroups,
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: apiProxy,
  },
  preview: {
    proxy: apiProxy,
  },
})
