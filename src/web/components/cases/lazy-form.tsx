/**
 * The matter form behind `React.lazy`: react-jsonschema-form and Ajv load in their own chunk, only on
 * pages that show a form (apply, supplement, service window).
 */
import { Suspense, lazy } from 'react'
import { Card, Skeleton } from 'antd'
import type { MatterFormProps } from './matter-form.js'

export type { MatterFormProps, ServerFieldError } from './matter-form.js'

const MatterForm = lazy(() => import('./matter-form.js'))

export function LazyMatterForm(props: MatterFormProps) {
  return (
    <Suspense
      fallback={
        <Card data-testid="form-loading">
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      }
    >
      <MatterForm {...props} />
    </Suspense>
  )
}
