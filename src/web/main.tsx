/** Entry point: antd theme and locale, i18n, and the app shell. */
import { StrictMode, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { App as AntApp, ConfigProvider } from 'antd'
import type { Locale } from 'antd/lib/locale/index.js'
import zhCNModule from 'antd/locale/zh_CN.js'
import enUSModule from 'antd/locale/en_US.js'
import { I18nProvider, useI18n } from './i18n.js'
import { App } from './app.js'
import './styles.css'

/**
 * antd ships its locales as CommonJS (`exports.default = locale`); depending on the bundler's
 * interop the default import is either the locale or the whole exports object. Accept both.
 */
function unwrapLocale(mod: unknown): Locale {
  const m = mod as { default?: Locale } & Partial<Locale>
  return m.locale ? (m as Locale) : (m.default as Locale)
}
const zhCN = unwrapLocale(zhCNModule)
const enUS = unwrapLocale(enUSModule)

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif"

function Root() {
  const { lang, t } = useI18n()
  useEffect(() => {
    document.documentElement.lang = lang
    document.title = `${t('app.name')} · ${t('app.subtitle')}`
  }, [lang, t])
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: '#1f5fbf',
          colorInfo: '#1f5fbf',
          borderRadius: 6,
          fontFamily: FONT_FAMILY,
          colorBgLayout: '#f3f6fb',
        },
        components: {
          Layout: {
            siderBg: '#0d2b5c',
            triggerBg: '#0a2249',
            headerBg: '#ffffff',
            headerHeight: 60,
            headerPadding: '0 20px',
          },
          Menu: {
            darkItemBg: '#0d2b5c',
            darkSubMenuItemBg: '#0a2249',
            darkItemSelectedBg: '#1f5fbf',
            itemHeight: 46,
          },
          Table: {
            headerBg: '#f5f8fd',
          },
        },
      }}
    >
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  )
}

const container = document.getElementById('root')
if (!container) throw new Error('#root element missing from index.html')
createRoot(container).render(
  <StrictMode>
    <I18nProvider>
      <Root />
    </I18nProvider>
  </StrictMode>,
)
