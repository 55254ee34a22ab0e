/** Header/login button that toggles between Chinese and English. */
import { Button, Tooltip } from 'antd'
import { GlobalOutlined } from '@ant-design/icons'
import { useI18n } from '../i18n.js'

export function LangSwitch({ ghost = false }: { ghost?: boolean }) {
  const { lang, setLang, t } = useI18n()
  return (
    <Tooltip title={t('lang.switchTitle')}>
      <Button
        data-testid="lang-switch"
        data-lang={lang}
        type={ghost ? 'text' : 'default'}
        icon={<GlobalOutlined />}
        onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
        className={ghost ? 'xzt-ghost-button' : undefined}
      >
        {t('lang.switch')}
      </Button>
    </Tooltip>
  )
}
