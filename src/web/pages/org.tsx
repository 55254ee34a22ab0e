/**
 * Organisation: departments and staff of a region in the user's jurisdiction. Admins can create
 * and edit staff and departments; API errors (409 username taken, 400 validation) show in the form.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  App as AppMessage,
} from 'antd'
import type { FormInstance, TableColumnsType } from 'antd'
import {
  ApartmentOutlined,
  EditOutlined,
  InfoCircleOutlined,
  PlusOutlined,
  TeamOutlined,
} from '@ant-design/icons'
import { DEPARTMENT_KINDS, ROLES } from '../../shared/domain.js'
import type { Department, DepartmentKind, Role } from '../../shared/domain.js'
import { canManageOrg } from '../access.js'
import { ApiError, api, fieldErrors } from '../api.js'
import type { Me, StaffRow } from '../api.js'
import { useI18n } from '../i18n.js'
import type { Translate } from '../i18n.js'
import { RegionCascader } from '../components/region-cascader.js'

const STAFF_ROLES: Role[] = ROLES.filter((r) => r !== 'citizen')
const DEPT_KINDS = Object.keys(DEPARTMENT_KINDS) as DepartmentKind[]
const PAGE_SIZES = [10, 20, 50, 100]
/** Tag colours of the roles in the staff list (the rest blue). */
const ROLE_COLORS: Partial<Record<Role, string>> = { admin: 'red', leader: 'gold' }

/** Put an API error on the form: field errors where the server names a field, else a banner text. */
function applyFormError(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  t: Translate,
  describe: (error: ApiError) => string,
): string | null {
  if (!(error instanceof ApiError)) return t('error.unknown', { status: '?' })
  if (error.status === 409 && fields.includes('username')) {
    form.setFields([{ name: 'username', errors: [t('org.usernameTaken')] }])
    return t('org.usernameTaken')
  }
  if (error.status === 400) {
    const mapped = fieldErrors(error.details).filter((f) => fields.includes(f.field))
    if (mapped.length > 0) {
      const byField = new Map<string, string[]>()
      for (const f of mapped)
        byField.set(f.field, [...(byField.get(f.field) ?? []), f.message || t('org.validationFailed')])
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })))
    }
  }
  return describe(error)
}

// ---------------------------------------------------------------------------------------------
// Staff modal (create / edit)

interface StaffFormValues {
  username: string
  password: string
  name: string
  departmentId: string
  position?: string
  roles: Role[]
  active: boolean
  newPassword?: string
}

const STAFF_FIELDS = ['username', 'password', 'name', 'departmentId', 'position', 'roles', 'active'] as const

function StaffModal({
  staff,
  departments,
  onClose,
  onSaved,
}: {
  /** null: create a new staff member. */
  staff: StaffRow | null
  departments: Department[]
  onClose: () => void
  onSaved: (saved: StaffRow) => void
}) {
  const { t, roleName, describeError } = useI18n()
  const [form] = Form.useForm<StaffFormValues>()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const creating = staff === null

  const submit = async (values: StaffFormValues) => {
    setSaving(true)
    setError(null)
    try {
      const position = values.position?.trim() || undefined
      const saved = creating
        ? await api.createStaff(
            {
              username: values.username.trim(),
              password: values.password,
              name: values.name.trim(),
              departmentId: values.departmentId,
              roles: values.roles,
              ...(position ? { position } : {}),
            },
            { quiet: true },
          )
        : await api.updateStaff(
            staff.id,
            {
              name: values.name.trim(),
              roles: values.roles,
              departmentId: values.departmentId,
              active: values.active,
              ...(position ? { position } : {}),
              ...(values.newPassword ? { password: values.newPassword } : {}),
            },
            { quiet: true },
          )
      onSaved(saved)
    } catch (e) {
      const message = applyFormError(
        form,
        e,
        creating ? STAFF_FIELDS : STAFF_FIELDS.filter((f) => f !== 'username'),
        t,
        describeError,
      )
      // The PATCH body calls the new password `password`; show its errors on the edit field.
      if (!creating && e instanceof ApiError && e.status === 400) {
        const pw = fieldErrors(e.details).filter((f) => f.field === 'password')
        if (pw.length > 0)
          form.setFields([
            { name: 'newPassword', errors: pw.map((f) => f.message || t('org.passwordLength')) },
          ])
      }
      setError(message)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      open
      title={creating ? t('org.newStaff') : t('org.editStaff')}
      okText={creating ? t('common.create') : t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={560}
      okButtonProps={{ 'data-testid': 'staff-submit' }}
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 16 }}
          data-testid="staff-form-error"
        />
      )}
      <Form<StaffFormValues>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={
          staff
            ? {
                name: staff.name,
                departmentId: staff.departmentId,
                position: staff.position,
                roles: staff.roles,
                active: staff.active ?? true,
              }
            : { roles: ['official'], active: true }
        }
      >
        {creating && (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="username"
                label={t('org.username')}
                extra={t('org.usernameHint')}
                rules={[
                  { required: true, whitespace: true, message: t('org.usernameRequired') },
                  { pattern: /^[a-z0-9][a-z0-9._-]{2,63}$/, message: t('org.usernamePattern') },
                ]}
              >
                <Input autoComplete="off" data-testid="staff-username" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="password"
                label={t('org.password')}
                rules={[
                  { required: true, message: t('org.passwordRequired') },
                  { min: 8, message: t('org.passwordLength') },
                ]}
              >
                <Input.Password autoComplete="new-password" data-testid="staff-password" />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="name"
              label={t('org.name')}
              rules={[{ required: true, whitespace: true, message: t('org.nameRequired') }]}
            >
              <Input data-testid="staff-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="position" label={t('org.position')}>
              <Input data-testid="staff-position" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="departmentId"
          label={t('org.department')}
          rules={[{ required: true, message: t('org.departmentRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="staff-department"
            options={departments.map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('org.roles')}
          rules={[{ required: true, type: 'array', min: 1, message: t('org.rolesRequired') }]}
        >
          <Select
            mode="multiple"
            data-testid="staff-roles"
            options={STAFF_ROLES.map((r) => ({ value: r, label: roleName(r) }))}
          />
        </Form.Item>
        {!creating && (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="newPassword"
                label={t('org.newPassword')}
                extra={t('org.newPasswordHint')}
                rules={[{ min: 8, message: t('org.passwordLength') }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="active" label={t('org.active')} valuePropName="checked">
                <Switch data-testid="staff-active" />
              </Form.Item>
            </Col>
          </Row>
        )}
      </Form>
    </Modal>
  )
}

// ---------------------------------------------------------------------------------------------
// Department modal (create / rename)

interface DeptFormValues {
  name: string
  kind: DepartmentKind
}

function DepartmentModal({
  department,
  regionCode,
  regionLabel,
  onClose,
  onSaved,
}: {
  department: Department | null
  regionCode: string
  regionLabel: string
  onClose: () => void
  onSaved: () => void
}) {
  const { t, departmentKindName, describeError } = useI18n()
  const [form] = Form.useForm<DeptFormValues>()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const creating = department === null

  const submit = async (values: DeptFormValues) => {
    setSaving(true)
    setError(null)
    try {
      if (creating) {
        await api.createDepartment(
          { name: values.name.trim(), kind: values.kind, regionCode },
          { quiet: true },
        )
      } else {
        await api.updateDepartment(department.id, { name: values.name.trim() }, { quiet: true })
      }
      onSaved()
    } catch (e) {
      setError(applyFormError(form, e, ['name', 'kind'], t, describeError))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      open
      title={creating ? t('org.newDept') : t('org.renameDept')}
      okText={creating ? t('common.create') : t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<DeptFormValues>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={department ? { name: department.name, kind: department.kind } : {}}
      >
        {creating && (
          <Form.Item label={t('org.region')}>
            <Input value={`${regionLabel} (${regionCode})`} disabled />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('org.deptName')}
          rules={[{ required: true, whitespace: true, message: t('org.deptNameRequired') }]}
        >
          <Input />
        </Form.Item>
        {creating && (
          <Form.Item
            name="kind"
            label={t('org.deptKind')}
            rules={[{ required: true, message: t('org.deptKindRequired') }]}
          >
            <Select options={DEPT_KINDS.map((k) => ({ value: k, label: departmentKindName(k) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}

// ---------------------------------------------------------------------------------------------
// Page

export function OrgPage({ me }: { me: Me }) {
  const i18n = useI18n()
  const { t, roleName, departmentKindName, formatNumber } = i18n
  const isAdmin = canManageOrg(me)
  const { message } = AppMessage.useApp()

  const [regionPath, setRegionPath] = useState<string[]>([me.regionCode])
  const regionCode = regionPath[regionPath.length - 1] ?? me.regionCode
  const [regionLabel, setRegionLabel] = useState(me.regionName)

  const [departments, setDepartments] = useState<Department[]>([])
  const [deptLoading, setDeptLoading] = useState(false)
  const [deptFilter, setDeptFilter] = useState('')
  const [deptVersion, setDeptVersion] = useState(0)

  const [staff, setStaff] = useState<StaffRow[]>([])
  const [staffTotal, setStaffTotal] = useState(0)
  const [staffLoading, setStaffLoading] = useState(false)
  const [q, setQ] = useState('')
  const [page, setPage] = useState({ current: 1, pageSize: 20 })
  const [deptFilterId, setDeptFilterId] = useState<string | null>(null)
  const [staffVersion, setStaffVersion] = useState(0)

  const [editingStaff, setEditingStaff] = useState<StaffRow | null | undefined>(undefined)
  const [editingDept, setEditingDept] = useState<Department | null | undefined>(undefined)

  useEffect(() => {
    let cancelled = false
    api.region(regionCode, { quiet: true }).then(
      (r) => !cancelled && setRegionLabel(r.name),
      () => undefined,
    )
    return () => {
      cancelled = true
    }
  }, [regionCode])

  useEffect(() => {
    const controller = new AbortController()
    setDeptLoading(true)
    api.departments(regionCode, { signal: controller.signal }).then(
      (rows) => {
        setDepartments(rows)
        setDeptLoading(false)
      },
      () => {
        if (!controller.signal.aborted) {
          setDepartments([])
          setDeptLoading(false)
        }
      },
    )
    return () => controller.abort()
  }, [regionCode, deptVersion])

  useEffect(() => {
    const controller = new AbortController()
    setStaffLoading(true)
    api
      .staff(
        {
          region: regionCode,
          limit: page.pageSize,
          offset: (page.current - 1) * page.pageSize,
          q: q.trim() || undefined,
          departmentId: deptFilterId ?? undefined,
        },
        { signal: controller.signal },
      )
      .then(
        ({ items, total }) => {
          setStaff(items)
          setStaffTotal(total)
          setStaffLoading(false)
        },
        () => {
          if (!controller.signal.aborted) {
            setStaff([])
            setStaffTotal(0)
            setStaffLoading(false)
          }
        },
      )
    return () => controller.abort()
  }, [regionCode, q, page, deptFilterId, staffVersion])

  const deptById = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments])
  const visibleDepartments = useMemo(() => {
    const f = deptFilter.trim().toLowerCase()
    if (!f) return departments
    return departments.filter((d) => d.name.toLowerCase().includes(f) || d.regionCode.startsWith(f))
  }, [departments, deptFilter])

  const changeRegion = useCallback((path: string[]) => {
    setRegionPath(path)
    setDeptFilterId(null)
    setPage((p) => ({ ...p, current: 1 }))
  }, [])

  const filterByDepartment = (id: string | null) => {
    setDeptFilterId((current) => (current === id ? null : id))
    setPage((p) => ({ ...p, current: 1 }))
  }

  const deptColumns: TableColumnsType<Department> = [
    {
      title: t('org.deptName'),
      dataIndex: 'name',
      key: 'name',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    {
      title: t('org.deptKind'),
      dataIndex: 'kind',
      key: 'kind',
      responsive: ['md'],
      render: (kind: DepartmentKind) => departmentKindName(kind),
    },
    {
      title: t('org.deptRegion'),
      dataIndex: 'regionCode',
      key: 'regionCode',
      width: 120,
      sorter: (a, b) => a.regionCode.localeCompare(b.regionCode),
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    ...(isAdmin
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 80,
            render: (_: unknown, row: Department) => (
              <Tooltip title={t('org.renameDept')}>
                <Button
                  size="small"
                  type="text"
                  icon={<EditOutlined />}
                  onClick={() => setEditingDept(row)}
                  aria-label={t('org.renameDept')}
                />
              </Tooltip>
            ),
          },
        ]
      : []),
  ]

  const staffColumns: TableColumnsType<StaffRow> = [
    {
      title: t('org.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, row) => (
        <Space size={6}>
          <span>{name}</span>
          {row.active === false && <Tag color="default">{t('org.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('org.username'),
      dataIndex: 'username',
      key: 'username',
      responsive: ['md'],
      render: (username: string) => <span translate="no">{username}</span>,
    },
    {
      title: t('org.department'),
      dataIndex: 'departmentId',
      key: 'departmentId',
      render: (id: string) => deptById.get(id)?.name ?? id,
    },
    { title: t('org.position'), dataIndex: 'position', key: 'position', responsive: ['lg'] },
    {
      title: t('org.roles'),
      dataIndex: 'roles',
      key: 'roles',
      responsive: ['lg'],
      render: (roles: Role[]) => (
        <Space size={[0, 4]} wrap>
          {roles.map((r) => (
            <Tag key={r} color={ROLE_COLORS[r] ?? 'blue'}>
              {roleName(r)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('org.deptRegion'),
      dataIndex: 'regionCode',
      key: 'regionCode',
      width: 120,
      responsive: ['xl'],
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    ...(isAdmin
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, row: StaffRow) => (
              <Button
                size="small"
                icon={<EditOutlined />}
                onClick={() => setEditingStaff(row)}
                data-testid={`staff-edit-${row.username}`}
              >
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ]

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Row gutter={[16, 16]} align="middle">
          <Col xs={24} lg={12}>
            <Space orientation="vertical" size={4}>
              <Typography.Text type="secondary">{t('org.region')}</Typography.Text>
              <RegionCascader rootCode={me.regionCode} value={regionPath} onChange={changeRegion} />
            </Space>
          </Col>
          <Col xs={12} lg={6}>
            <Statistic
              title={t('org.departmentCount')}
              value={departments.length}
              prefix={<ApartmentOutlined />}
              formatter={(v) => formatNumber(Number(v))}
            />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic
              title={t('org.staffCount')}
              value={staffTotal}
              prefix={<TeamOutlined />}
              formatter={(v) => formatNumber(Number(v))}
            />
          </Col>
        </Row>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={9}>
          <Card
            title={
              <Space size={6}>
                {t('org.departments')}
                <Tooltip title={t('org.deptFilterHint')}>
                  <InfoCircleOutlined className="xzt-hint-icon" />
                </Tooltip>
              </Space>
            }
            extra={
              <Space>
                <Input.Search
                  allowClear
                  placeholder={t('common.search')}
                  onSearch={setDeptFilter}
                  onChange={(e) => !e.target.value && setDeptFilter('')}
                  style={{ width: 180 }}
                />
                {isAdmin && (
                  <Button icon={<PlusOutlined />} onClick={() => setEditingDept(null)} data-testid="dept-new">
                    {t('org.newDept')}
                  </Button>
                )}
              </Space>
            }
            styles={{ body: { padding: 0 } }}
          >
            <div data-testid="dept-table">
              <Table<Department>
                rowKey="id"
                size="middle"
                loading={deptLoading}
                columns={deptColumns}
                dataSource={visibleDepartments}
                rowClassName={(row) =>
                  row.id === deptFilterId ? 'xzt-clickable-row ant-table-row-selected' : 'xzt-clickable-row'
                }
                onRow={(row) => ({
                  onClick: (e) => {
                    if ((e.target as HTMLElement).closest('button')) return
                    filterByDepartment(row.id)
                  },
                })}
                pagination={{
                  pageSize: 10,
                  showSizeChanger: false,
                  showTotal: (n) => t('common.total', { n }),
                }}
              />
            </div>
          </Card>
        </Col>
        <Col xs={24} xxl={15}>
          <Card
            title={
              <Space size={8} wrap>
                {t('org.staff')}
                {deptFilterId && (
                  <Tag
                    closable
                    color="blue"
                    onClose={() => filterByDepartment(null)}
                    data-testid="staff-dept-filter"
                  >
                    {t('org.deptFilter', { name: deptById.get(deptFilterId)?.name ?? deptFilterId })}
                  </Tag>
                )}
              </Space>
            }
            extra={
              <Space wrap>
                <Input.Search
                  allowClear
                  placeholder={t('org.staffSearch')}
                  data-testid="staff-search"
                  onSearch={(value) => {
                    setQ(value)
                    setPage((p) => ({ ...p, current: 1 }))
                  }}
                  style={{ width: 240 }}
                />
                {isAdmin ? (
                  <Button
                    type="primary"
                    icon={<PlusOutlined />}
                    onClick={() => setEditingStaff(null)}
                    data-testid="staff-new"
                  >
                    {t('org.newStaff')}
                  </Button>
                ) : (
                  <Typography.Text type="secondary">{t('org.adminOnly')}</Typography.Text>
                )}
              </Space>
            }
            styles={{ body: { padding: 0 } }}
          >
            <div data-testid="staff-table">
              <Table<StaffRow>
                rowKey="id"
                size="middle"
                loading={staffLoading}
                columns={staffColumns}
                dataSource={staff}
                pagination={{
                  current: page.current,
                  pageSize: page.pageSize,
                  total: staffTotal,
                  showSizeChanger: true,
                  pageSizeOptions: PAGE_SIZES,
                  showTotal: (n) => t('common.total', { n: formatNumber(n) }),
                  onChange: (current, pageSize) =>
                    setPage({ current: pageSize === page.pageSize ? current : 1, pageSize }),
                }}
              />
            </div>
          </Card>
        </Col>
      </Row>

      {editingStaff !== undefined && (
        <StaffModal
          staff={editingStaff}
          departments={departments}
          onClose={() => setEditingStaff(undefined)}
          onSaved={() => {
            const created = editingStaff === null
            setEditingStaff(undefined)
            setStaffVersion((v) => v + 1)
            void message.success(created ? t('common.created') : t('common.saved'))
          }}
        />
      )}
      {editingDept !== undefined && (
        <DepartmentModal
          department={editingDept}
          regionCode={regionCode}
          regionLabel={regionLabel}
          onClose={() => setEditingDept(undefined)}
          onSaved={() => {
            const created = editingDept === null
            setEditingDept(undefined)
            setDeptVersion((v) => v + 1)
            void message.success(created ? t('common.created') : t('common.saved'))
          }}
        />
      )}
    </Space>
  )
}
