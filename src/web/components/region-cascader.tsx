/**
 * Cascader for picking a region inside the user's jurisdiction: starts at the jurisdiction root and
 * loads children lazily level by level. Any level can be selected (`changeOnSelect`).
 */
import { useEffect, useState } from 'react'
import { Cascader } from 'antd'
import type { Region } from '../../shared/domain.js'
import { api } from '../api.js'
import { useI18n } from '../i18n.js'

interface Option {
  value: string
  label: string
  isLeaf: boolean
  children?: Option[]
  loading?: boolean
}

function toOption(region: Region): Option {
  return { value: region.code, label: region.name, isLeaf: region.level === 'street' }
}

export function RegionCascader({
  rootCode,
  value,
  onChange,
  testId = 'org-region',
}: {
  rootCode: string
  /** Path of codes from the root to the selected region. */
  value: string[]
  onChange: (path: string[]) => void
  testId?: string
}) {
  const { t } = useI18n()
  const [options, setOptions] = useState<Option[]>([])

  useEffect(() => {
    let cancelled = false
    Promise.all([api.region(rootCode, { quiet: true }), api.children(rootCode, { quiet: true })]).then(
      ([root, children]) => {
        if (cancelled) return
        const option = toOption(root)
        option.children = children.map(toOption)
        option.isLeaf = children.length === 0
        setOptions([option])
      },
      () => {
        if (!cancelled) setOptions([{ value: rootCode, label: rootCode, isLeaf: true }])
      },
    )
    return () => {
      cancelled = true
    }
  }, [rootCode])

  const loadData = async (selected: Option[]) => {
    const target = selected[selected.length - 1]
    if (!target || target.children) return
    target.loading = true
    setOptions((o) => [...o])
    try {
      const children = await api.children(target.value, { quiet: true })
      target.children = children.map(toOption)
      target.isLeaf = children.length === 0
    } catch {
      target.isLeaf = true
    } finally {
      target.loading = false
      setOptions((o) => [...o])
    }
  }

  return (
    <Cascader<Option>
      data-testid={testId}
      style={{ minWidth: 280 }}
      options={options}
      value={value}
      loadData={(selected) => void loadData(selected)}
      changeOnSelect
      allowClear={false}
      placeholder={t('org.regionPlaceholder')}
      onChange={(path) => {
        if (Array.isArray(path) && path.length > 0) onChange(path.map(String))
      }}
      displayRender={(labels) => labels.join(' / ')}
    />
  )
}
