/**
 * A real, listening server for browser tests: a fresh SQLite database (seeded with the small demo by
 * default) serving the built web UI from dist/web.
 */
import { createTestApp } from './db.js'

export async function startTestServer(
  opts: { seed?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = await createTestApp('sqlite', { seeded: opts.seed ?? true })
  await app.server.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, close: () => app.dispose() }
}
