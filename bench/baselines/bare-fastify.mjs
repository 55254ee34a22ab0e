// Baseline: the least a Node + Fastify process can do before answering /healthz.
import process from 'node:process'
import Fastify from 'fastify'

const app = Fastify()
app.get('/healthz', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
