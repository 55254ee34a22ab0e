/**
 * Who sees flagged data accesses, and how many wait for a verdict (the count badges of the navigation
 * and the workbench tab). Kept apart from the table so the shell does not load it before it is shown.
 */
import { useEffect, useState } from 'react'
import { can } from '../../../shared/permissions.js'
import { api } from '../../api.js'
import type { Me } from '../../api.js'

/** Who sees flagged accesses (supervisors: their department's; region overseers: their region's). */
export function canSeeFlagged(me: Me): boolean {
  return can(me, 'data_access.read_flagged')
}

/** Who records verdicts (auditors watch the judging, they do not judge). */
export function canReviewFlagged(me: Me): boolean {
  return can(me, 'data_access.review')
}

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
