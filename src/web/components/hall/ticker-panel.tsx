/**
 * 实时动态: the ledger's events in the region as they are committed (filled from the ticker route,
 * followed over the event stream by the page): Beijing time, the event's Chinese name, the region.
 * No personal data: the stream carries none.
 * @module
 */
import { Badge } from 'antd'
import { useI18n } from '../../i18n.js'
import type { Loaded } from './hall-common.js'
import { Panel } from './hall-common.js'
import type { TickerItem } from '../../analytics-api.js'
import { eventTypeName } from '../../../shared/event-names.js'

export function TickerPanel({
  items,
  live,
  loaded,
}: {
  items: TickerItem[]
  /** Whether the event stream is open. */
  live: boolean
  loaded: Loaded<unknown>
}) {
  const { t, lang, formatTime } = useI18n()
  return (
    <Panel<unknown>
      id="hall-ticker"
      title={t('hall.ticker.title')}
      // Events that came over the stream show even when the fill failed.
      loaded={items.length > 0 ? { ...loaded, data: loaded.data ?? {}, error: null } : loaded}
      isEmpty={() => items.length === 0}
      extra={
        <span data-testid="ticker-live" data-live={live}>
          <Badge
            status={live ? 'processing' : 'default'}
            text={live ? t('hall.ticker.live') : t('hall.ticker.offline')}
          />
        </span>
      }
    >
      {() => (
        <ul className="xzt-hall-ticker" data-testid="ticker-list">
          {items.map((e) => (
            <li
              key={`${e.log}:${e.index}`}
              data-testid="ticker-item"
              data-type={e.type}
              data-entry={`${e.log}:${e.index}`}
            >
              <span className="xzt-hall-ticker-time">{formatTime(e.time)}</span>
              <span className="xzt-hall-ticker-label">
                {eventTypeName(e.type, lang === 'en' ? 'en' : 'zh') ?? e.label}
              </span>
              <span className="xzt-hall-ticker-region">{e.regionName}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}
