/**
 * An appeal told in plain words for the citizen who filed it: each step of its timeline and each
 * escalation as one sentence (已分派至…, 已受理, 已答复：…), in time order, and what happens next. The
 * sentences are message keys with their parameters, so both languages say the same; what people wrote
 * (a reply, a reason, a comment) rides along as `detail`, as they wrote it. Pure.
 * @module
 */
import type { AppealView } from '../../../shared/api.js'
import type { MessageKey } from '../../i18n.js'

export type Tone = 'blue' | 'green' | 'orange' | 'red' | 'gray'

export interface Words {
  key: MessageKey
  params?: Record<string, string | number>
}

export interface StoryItem {
  id: string
  at: number
  tone: Tone
  title: Words
  /** Who wrote what: a reply, a return's reason, the citizen's own comment. */
  detail: string | null
  ledger: { log: string; index: number }
}

/** What the story needs to name things: satisfaction answers, and a department it cannot name. */
export interface StoryNames {
  satisfaction(value: string): string
  /** For a department the step names but the platform does not know (never its id). */
  otherDepartment: string
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)

/** The appeal's steps and escalations as sentences, oldest first. */
export function appealStory(
  view: Pick<AppealView, 'timeline' | 'escalations' | 'channel' | 'handler'>,
  names: StoryNames,
): StoryItem[] {
  const dept = (d: { name: string } | null) => d?.name || names.otherDepartment
  const items: StoryItem[] = []
  view.timeline.forEach((step, i) => {
    const base = { id: `step-${i}`, at: step.at, ledger: step.ledger }
    const d = step.data
    switch (step.type) {
      case 'appeal.filed':
        items.push({
          ...base,
          tone: 'blue',
          title:
            view.channel === 'system'
              ? { key: 'citizenAppeals.step.filedBySystem', params: { department: dept(step.department) } }
              : { key: 'citizenAppeals.step.filed', params: { department: dept(step.department) } },
          detail: null,
        })
        break
      case 'appeal.accepted':
        items.push({
          ...base,
          tone: 'blue',
          title: { key: 'citizenAppeals.step.accepted', params: { handler: step.actor.name } },
          detail: null,
        })
        break
      case 'appeal.returned':
        items.push({
          ...base,
          tone: 'orange',
          title: {
            key: 'citizenAppeals.step.returned',
            params: { from: dept(step.fromDepartment), department: dept(step.department) },
          },
          detail: str(d.reason),
        })
        break
      case 'appeal.responded':
        items.push({
          ...base,
          tone: 'blue',
          title: { key: 'citizenAppeals.step.responded' },
          detail: str(d.text),
        })
        break
      case 'appeal.resolved':
        items.push({
          ...base,
          tone: 'green',
          title: { key: 'citizenAppeals.step.resolved' },
          detail: str(d.text),
        })
        break
      case 'appeal.rated': {
        const answer = names.satisfaction(str(d.satisfaction) ?? '')
        items.push({
          ...base,
          tone: d.reopened === true ? 'orange' : 'green',
          title:
            d.reopened === true
              ? { key: 'citizenAppeals.step.ratedReopened', params: { answer } }
              : { key: 'citizenAppeals.step.rated', params: { answer } },
          detail: str(d.comment),
        })
        break
      }
      case 'appeal.merged':
        items.push({ ...base, tone: 'gray', title: { key: 'citizenAppeals.step.merged' }, detail: null })
        break
      default:
        items.push({ ...base, tone: 'gray', title: { key: 'citizenAppeals.step.other' }, detail: null })
    }
  })
  view.escalations.forEach((e, i) => {
    const to = e.to.map((p) => p.name).join('、')
    items.push({
      id: `escalation-${i}`,
      at: e.at,
      ledger: e.ledger,
      tone: 'red',
      title: {
        key:
          e.stage === 'respond'
            ? 'citizenAppeals.step.escalatedRespond'
            : e.stage === 'resolve'
              ? 'citizenAppeals.step.escalatedResolve'
              : 'citizenAppeals.step.escalatedSatisfaction',
        params: { to: to || names.otherDepartment },
      },
      detail: null,
    })
  })
  // An appeal's steps and escalations are entries of one log, whose order is the order they happened
  // in (a manual clock gives several the same instant); by time only across logs.
  return items.sort((a, b) => (a.ledger.log === b.ledger.log ? a.ledger.index - b.ledger.index : a.at - b.at))
}

/** What happens next, in one sentence, by the appeal's status. */
export function nextStep(
  view: Pick<
    AppealView,
    'status' | 'department' | 'respondDueAt' | 'resolveDueAt' | 'respondedAt' | 'actions' | 'reopened'
  >,
  formatTime: (ms: number) => string,
): Words {
  const department = view.department.name
  switch (view.status) {
    case 'dispatched':
      return {
        key: 'citizenAppeals.next.dispatched',
        params: { department, time: formatTime(view.respondDueAt) },
      }
    case 'accepted':
    case 'responded': {
      // Reopened after a 不满意, or answered already: what is left is the resolution.
      const resolve = { department, time: formatTime(view.resolveDueAt) }
      if (view.reopened) return { key: 'citizenAppeals.next.reopened', params: resolve }
      if (view.status === 'responded' || view.respondedAt !== null)
        return { key: 'citizenAppeals.next.responded', params: resolve }
      return {
        key: 'citizenAppeals.next.accepted',
        params: { department, time: formatTime(view.respondDueAt) },
      }
    }
    case 'resolved':
      return view.actions.includes('rate')
        ? { key: view.reopened ? 'citizenAppeals.next.rateAgain' : 'citizenAppeals.next.rate' }
        : { key: 'citizenAppeals.next.closed' }
    case 'closed':
      return { key: 'citizenAppeals.next.closed' }
    case 'merged':
      return { key: 'citizenAppeals.next.merged' }
  }
}
