/**
 * Progress display for long CLI work: a bar per phase on a terminal, a line every few seconds otherwise
 * (CI logs, pipes), on stderr so stdout stays clean for data.
 * @module
 */
import cliProgress from 'cli-progress'

export interface Progress {
  update(phase: string, done: number, total: number): void
  stop(): void
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | undefined
    let current = ''
    return {
      update(phase, done, total) {
        if (phase !== current) {
          bar?.stop()
          current = phase
          bar = new cliProgress.SingleBar(
            {
              format: `${phase.padEnd(12)} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`,
              stream,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          )
          bar.start(total, done)
        }
        bar?.setTotal(total)
        bar?.update(done)
      },
      stop() {
        bar?.stop()
      },
    }
  }
  let lastAt = 0
  let lastPhase = ''
  return {
    update(phase, done, total) {
      const now = Date.now()
      if (phase !== lastPhase || done === total || now - lastAt > 3000) {
        stream.write(`${phase}: ${done}/${total}\n`)
        lastAt = now
        lastPhase = phase
      }
    },
    stop() {},
  }
}
