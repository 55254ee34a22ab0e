/**
 * Phone or desk: the one breakpoint the layout switches on (antd's `md`, 768 px). Read synchronously from
 * `matchMedia`, so a phone's first paint already has the phone layout (antd's `Grid.useBreakpoint`
 * answers only after an effect).
 * @module
 */
import { useSyncExternalStore } from 'react'

const PHONE_QUERY = '(max-width: 767.98px)'

function subscribe(listener: () => void): () => void {
  const query = window.matchMedia(PHONE_QUERY)
  query.addEventListener('change', listener)
  return () => query.removeEventListener('change', listener)
}

/** True on screens narrower than 768 px (phones, and small windows). */
export function usePhone(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(PHONE_QUERY).matches,
    () => false,
  )
}
