/**
 * How many flagged data accesses wait for a verdict (the count badges of the navigation
 * and the workbench tab). Kept apart from the table so the shell does not load it before it is shown.
 */
import { useEffect, useState } from 'react'
import { api } from '../../api.js'

const changed = new Set<() => void>()

/** Tells every open count badge that a verdict was recorded. */
export function notifyFlaggedChanged(): void {
  for (const listener of changed) listener()
}

/**
 * How many flagged accesses wait for a verdict (null until known, or when `enabled` is false). Refreshed
 * every five minutes and whenever a verdict is recorded in this tab.
 */
export function useFlaggedCount(enabled: boolean): number | null {
  const [count, setCount] = useState<number | null>(null)
  useEffect(() => {
    if (!enabled) return
    const controller = new AbortController()
    const load = () => {
      api
        .flaggedAccesses({ status: 'open', limit: 1, offset: 0 }, { signal: controller.signal, quiet: true })
        .then(
          (page) => setCount(page.total),
          () => undefined,
        )
    }
    load()
    changed.add(load)
    const timer = window.setInterval(load, 300_000)
    return () => {
      changed.delete(load)
      window.clearInterval(timer)
      controller.abort()
    }
  }, [enabled])
  return enabled ? count : null
}
