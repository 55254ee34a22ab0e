/**
 * Minimal history-based routing without a dependency: the path lives in `window.location`,
 * `navigate()` pushes a new entry and notifies subscribers, the back button works via `popstate`.
 * The server falls back to index.html for unknown non-/api paths, so deep links load directly.
 */
import { useSyncExternalStore } from 'react'
import type { MouseEvent } from 'react'

export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'regions'; code: string | null }
  | { name: 'org' }
  | { name: 'me' }
  | { name: 'audit' }
  | { name: 'services' }
  | { name: 'matter'; code: string }
  | { name: 'apply'; code: string }
  | { name: 'cases' }
  | { name: 'case'; id: string }
  | { name: 'dataAccess' }
  | { name: 'workbench' }
  | { name: 'task'; id: string }
  | { name: 'window'; code: string | null }
  | { name: 'accessReview' }
  | { name: 'jobs' }
  | { name: 'open311Keys' }
  | { name: 'policies' }
  | { name: 'policy'; kind: string }
  | { name: 'overview' }
  | { name: 'appealDesk'; id: string | null }
  | { name: 'hotline' }
  | { name: 'appealReviews' }
  | { name: 'myAppeals' }
  | { name: 'fileAppeal' }
  | { name: 'myAppeal'; id: string }
  | { name: 'scorecards' }
  | { name: 'counterRating'; token: string }
  | { name: 'promotion' }
  | { name: 'whatIf' }
  | { name: 'hall' }
  | { name: 'desk' }
  | { name: 'notFound' }

const listeners = new Set<() => void>()

function notify(): void {
  for (const listener of listeners) listener()
}

window.addEventListener('popstate', notify)

/** `keepScroll`: the page stays where it is (a drawer opening or closing over a list). */
export function navigate(path: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return
  if (options.replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  if (!options.keepScroll) window.scrollTo(0, 0)
  notify()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function currentPath(): string {
  return window.location.pathname
}

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/') return { name: 'home' }
  if (path === '/login') return { name: 'login' }
  if (path === '/org') return { name: 'org' }
  if (path === '/me') return { name: 'me' }
  if (path === '/audit') return { name: 'audit' }
  if (path === '/overview') return { name: 'overview' }
  if (path === '/regions') return { name: 'regions', code: null }
  const match = /^\/regions\/(\d{2,12})$/.exec(path)
  if (match?.[1]) return { name: 'regions', code: match[1] }
  if (path === '/services') return { name: 'services' }
  const matter = /^\/services\/([A-Z][A-Z0-9_]{1,63})(\/apply)?$/.exec(path)
  if (matter?.[1]) return matter[2] ? { name: 'apply', code: matter[1] } : { name: 'matter', code: matter[1] }
  if (path === '/cases') return { name: 'cases' }
  if (path === '/cases/data-access') return { name: 'dataAccess' }
  const caseMatch = /^\/cases\/([A-Za-z0-9_-]{1,80})$/.exec(path)
  if (caseMatch?.[1]) return { name: 'case', id: caseMatch[1] }
  if (path === '/workbench') return { name: 'workbench' }
  const task = /^\/workbench\/([A-Za-z0-9_-]{1,80})$/.exec(path)
  if (task?.[1]) return { name: 'task', id: task[1] }
  if (path === '/access-review') return { name: 'accessReview' }
  if (path === '/jobs') return { name: 'jobs' }
  if (path === '/open311-keys') return { name: 'open311Keys' }
  // Governance policies: the registry, and one kind (`appeal.routing`) with its versions.
  if (path === '/policies') return { name: 'policies' }
  const policy = /^\/policies\/([a-z][a-z0-9_.]{0,63})$/.exec(path)
  if (policy?.[1]) return { name: 'policy', kind: policy[1] }
  if (path === '/window') return { name: 'window', code: null }
  const win = /^\/window\/([A-Z][A-Z0-9_]{1,63})$/.exec(path)
  if (win?.[1]) return { name: 'window', code: win[1] }
  // Staff appeal pages: the desk (one appeal in its drawer), the hotline's fast entry, contests and rectifications.
  const desk = /^\/appeal-desk(?:\/([A-Za-z0-9_-]{1,80}))?$/.exec(path)
  if (desk) return { name: 'appealDesk', id: desk[1] ?? null }
  if (path === '/hotline') return { name: 'hotline' }
  if (path === '/appeal-reviews') return { name: 'appealReviews' }
  // A citizen's appeals (诉求): the list, the form (`?case=<id>` about one of their cases), one appeal.
  if (path === '/my-appeals') return { name: 'myAppeals' }
  if (path === '/my-appeals/new') return { name: 'fileAppeal' }
  const appeal = /^\/my-appeals\/([A-Za-z0-9_-]{1,80})$/.exec(path)
  if (appeal?.[1]) return { name: 'myAppeal', id: appeal[1] }
  // Scorecards (考核): one's own card, and the levels one may list.
  if (path === '/scorecards') return { name: 'scorecards' }
  // Assessment: the promotion index (晋升指数) and the what-if (模拟对比); their pickers are in the query.
  if (path === '/promotion') return { name: 'promotion' }
  if (path === '/what-if') return { name: 'whatIf' }
  // The command hall: the large screen (full-bleed, no menu) and the leaders' desk in the shell.
  if (path === '/hall') return { name: 'hall' }
  if (path === '/desk') return { name: 'desk' }
  // A counter rating link (好差评 at the window): opens without signing in, full-screen.
  const rate = /^\/rate\/([A-Za-z0-9_-]{1,100})$/.exec(path)
  if (rate?.[1]) return { name: 'counterRating', token: rate[1] }
  return { name: 'notFound' }
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, currentPath)
  return parseRoute(path)
}

/** Props for an `<a>` that navigates in-app on plain left clicks and behaves normally otherwise. */
export function linkProps(path: string): { href: string; onClick: (e: MouseEvent) => void } {
  return {
    href: path,
    onClick: (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
      e.preventDefault()
      navigate(path)
    },
  }
}
