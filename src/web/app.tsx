/**
 * The application shell: session bootstrap, routing, role-based navigation and the antd layout.
 */
import { Component, Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ComponentType, ErrorInfo, LazyExoticComponent, ReactNode } from 'react'
import {
  App as AntApp,
  Avatar,
  Badge,
  Button,
  Card,
  Drawer,
  Layout,
  Menu,
  Result,
  Skeleton,
  Space,
  Spin,
  Tooltip,
  Typography,
} from 'antd'
import type { MenuProps } from 'antd'
import {
  ApartmentOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  ApiOutlined,
  DashboardOutlined,
  DesktopOutlined,
  FlagOutlined,
  FundProjectionScreenOutlined,
  GlobalOutlined,
  LogoutOutlined,
  MenuOutlined,
  MessageOutlined,
  PhoneOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  ShopOutlined,
  TrophyOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons'
import { api, setErrorNotifier, setUnauthorizedHandler } from './api.js'
import type { ApiError, Me } from './api.js'
import { useI18n } from './i18n.js'
import { navigate, useRoute } from './router.js'
import type { Route } from './router.js'
import { LangSwitch } from './components/lang-switch.js'
import { Logo } from './components/logo.js'
import { LoginPage } from './pages/login.js'
import { usePhone } from './responsive.js'
import { useFlaggedCount } from './components/cases/flagged-count.js'
import {
  canApply,
  canSeeAppealDesk,
  canSeeAppealReviews,
  canFileOwnAppeals,
  canSeeAudit,
  canTakeCalls,
  canSeeFlagged,
  canSeeJobs,
  canManageOpen311Keys,
  canReadPolicies,
  canSeeOrg,
  canSeeOverview,
  canSeeOwnDataAccess,
  canSeeScorecards,
  canSeeWindow,
  canSeeWorkbench,
  canSeePromotion,
  canRunWhatIf,
  canSeeHall,
  flaggedInNav,
  homePath,
  homeRegion,
} from './access.js'

/**
 * Every page but the login page loads on first visit (its own chunk, and the antd components only it
 * uses), so signing in and the first page fetch only what they show.
 */
function lazyPage<M, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K] & ComponentType<any>> {
  return lazy(async () => ({ default: (await load())[name] as M[K] & ComponentType<any> }))
}
const RegionsPage = lazyPage(() => import('./pages/regions.js'), 'RegionsPage')
const OrgPage = lazyPage(() => import('./pages/org.js'), 'OrgPage')
const MePage = lazyPage(() => import('./pages/me.js'), 'MePage')
const AuditPage = lazyPage(() => import('./pages/audit.js'), 'AuditPage')
const ServicesPage = lazyPage(() => import('./pages/services.js'), 'ServicesPage')
const MatterPage = lazyPage(() => import('./pages/services.js'), 'MatterPage')
const ApplyPage = lazyPage(() => import('./pages/apply.js'), 'ApplyPage')
const MyCasesPage = lazyPage(() => import('./pages/cases.js'), 'MyCasesPage')
const CasePage = lazyPage(() => import('./pages/cases.js'), 'CasePage')
const DataAccessPage = lazyPage(() => import('./pages/cases.js'), 'DataAccessPage')
const WorkbenchPage = lazyPage(() => import('./pages/workbench.js'), 'WorkbenchPage')
const TaskPage = lazyPage(() => import('./pages/workbench.js'), 'TaskPage')
const WindowPage = lazyPage(() => import('./pages/window.js'), 'WindowPage')
const AccessReviewPage = lazyPage(() => import('./pages/access-review.js'), 'AccessReviewPage')
const JobsPage = lazyPage(() => import('./pages/jobs.js'), 'JobsPage')
const Open311KeysPage = lazyPage(() => import('./pages/open311-keys.js'), 'Open311KeysPage')
const PoliciesPage = lazyPage(() => import('./pages/policies.js'), 'PoliciesPage')
const PolicyKindPage = lazyPage(() => import('./pages/policies.js'), 'PolicyKindPage')
const OverviewPage = lazyPage(() => import('./pages/overview.js'), 'OverviewPage')
const AppealDeskPage = lazyPage(() => import('./pages/staff-appeals.js'), 'AppealDeskPage')
const HotlinePage = lazyPage(() => import('./pages/staff-hotline.js'), 'HotlinePage')
const AppealReviewsPage = lazyPage(() => import('./pages/staff-reviews.js'), 'AppealReviewsPage')
const MyAppealsPage = lazyPage(() => import('./pages/my-appeals.js'), 'MyAppealsPage')
const MyAppealPage = lazyPage(() => import('./pages/my-appeals.js'), 'MyAppealPage')
const FileAppealPage = lazyPage(() => import('./pages/file-appeal.js'), 'FileAppealPage')
const ScorecardsPage = lazyPage(() => import('./pages/scorecards.js'), 'ScorecardsPage')
const CounterRatingPage = lazyPage(() => import('./pages/counter-rating.js'), 'CounterRatingPage')
const PromotionPage = lazyPage(() => import('./pages/promotion.js'), 'PromotionPage')
const WhatIfPage = lazyPage(() => import('./pages/what-if.js'), 'WhatIfPage')
const HallPage = lazyPage(() => import('./pages/hall.js'), 'HallPage')
const DeskPage = lazyPage(() => import('./pages/hall.js'), 'DeskPage')

/**
 * A page whose chunk fails to load (offline, or the platform was redeployed and the old chunk is
 * gone) shows a reload button instead of an empty screen.
 */
class PageBoundary extends Component<
  { children: ReactNode; fallback: (reload: () => void) => ReactNode },
  { failed: boolean }
> {
  override state = { failed: false }

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(error, info.componentStack)
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(() => window.location.reload()) : this.props.children
  }
}

const { Header, Sider, Content } = Layout

type NavKey =
  | 'overview'
  | 'regions'
  | 'org'
  | 'audit'
  | 'me'
  | 'services'
  | 'cases'
  | 'workbench'
  | 'window'
  | 'access-review'
  | 'jobs'
  | 'open311-keys'
  | 'policies'
  | 'appeal-desk'
  | 'hotline'
  | 'appeal-reviews'
  | 'my-appeals'
  | 'scorecards'
  | 'promotion'
  | 'desk'

function navKey(route: Route): NavKey | null {
  switch (route.name) {
    case 'overview':
    case 'regions':
    case 'org':
    case 'audit':
    case 'me':
    case 'services':
    case 'workbench':
    case 'window':
      return route.name
    case 'matter':
    case 'apply':
      return 'services'
    case 'cases':
    case 'case':
    case 'dataAccess':
      return 'cases'
    case 'task':
      return 'workbench'
    case 'accessReview':
      return 'access-review'
    case 'jobs':
      return 'jobs'
    case 'open311Keys':
      return 'open311-keys'
    case 'policies':
    case 'policy':
      return 'policies'
    case 'appealDesk':
      return 'appeal-desk'
    case 'hotline':
      return 'hotline'
    case 'appealReviews':
      return 'appeal-reviews'
    case 'myAppeals':
    case 'myAppeal':
    case 'fileAppeal':
      return 'my-appeals'
    case 'scorecards':
      return 'scorecards'
    case 'promotion':
      return 'promotion'
    case 'desk':
      return 'desk'
    case 'home':
    case 'login':
    case 'counterRating':
    case 'whatIf':
    case 'hall':
    case 'notFound':
      return null
  }
}

/** Shows API errors with antd's context-aware message API (so locale and theme apply). */
function ErrorNotifierBridge() {
  const { message } = AntApp.useApp()
  const { describeError } = useI18n()
  useEffect(() => {
    setErrorNotifier((error: ApiError) => {
      const text = describeError(error)
      void message.error({ content: text, key: `${error.status}:${error.code}:${text}` })
    })
    return () => setErrorNotifier(null)
  }, [message, describeError])
  return null
}

export function App() {
  const { t } = useI18n()
  const { message } = AntApp.useApp()
  const route = useRoute()
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const [bootError, setBootError] = useState(false)
  /** Path requested before signing in, restored afterwards. */
  const afterLogin = useRef<string | null>(null)

  const boot = useCallback(() => {
    setBootError(false)
    api.me().then(setMe, () => setBootError(true))
  }, [])
  useEffect(boot, [boot])

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe((prev) => {
        if (prev) void message.warning({ content: t('error.sessionExpired'), key: 'session-expired' })
        return null
      })
    })
    return () => setUnauthorizedHandler(null)
  }, [message, t])

  // Redirects that depend on the session (a counter rating link needs none).
  useEffect(() => {
    if (me === undefined || route.name === 'counterRating') return
    if (me === null) {
      if (route.name !== 'login') {
        afterLogin.current = window.location.pathname + window.location.search
        navigate('/login', { replace: true })
      }
      return
    }
    if (route.name === 'login' || route.name === 'home') {
      navigate(homePath(me), { replace: true })
    } else if (route.name === 'regions' && route.code === null) {
      navigate(`/regions/${homeRegion(me)}`, { replace: true })
    }
  }, [me, route])

  const onLoggedIn = (user: Me) => {
    setMe(user)
    const target = afterLogin.current
    afterLogin.current = null
    navigate(target && target !== '/login' && target !== '/' ? target : homePath(user), { replace: true })
  }

  const logout = async () => {
    try {
      await api.logout()
    } catch {
      // The session is dropped locally either way.
    }
    afterLogin.current = null
    setMe(null)
    void message.success({ content: t('header.loggedOut'), key: 'logged-out' })
    navigate('/login')
  }

  let body: ReactNode
  if (route.name === 'counterRating') {
    // Full-screen for the citizen at the counter or on their phone: no sign-in, no staff menus.
    body = (
      <Suspense
        fallback={
          <div className="xzt-fullscreen-center">
            <Spin size="large" />
          </div>
        }
      >
        <CounterRatingPage
          token={route.token}
          onBack={me?.kind === 'staff' ? () => navigate(homePath(me)) : undefined}
        />
      </Suspense>
    )
  } else if (me === undefined) {
    body = bootError ? (
      <Result
        status="error"
        title={t('error.network')}
        extra={
          <Button type="primary" onClick={boot}>
            {t('common.retry')}
          </Button>
        }
      />
    ) : (
      <div className="xzt-fullscreen-center">
        <Spin size="large" />
      </div>
    )
  } else if (me === null || route.name === 'login') {
    body = me === null ? <LoginPage onLoggedIn={onLoggedIn} /> : null
  } else if (route.name === 'hall' && canSeeHall(me)) {
    // The large screen of the command hall: full-bleed, its own dark theme, no menu.
    body = (
      <Suspense
        fallback={
          <div className="xzt-fullscreen-center">
            <Spin size="large" />
          </div>
        }
      >
        <HallPage me={me} />
      </Suspense>
    )
  } else {
    body = (
      <Shell me={me} route={route} onLogout={() => void logout()}>
        <PageBoundary
          key={route.name}
          fallback={(reload) => (
            <Result
              status="warning"
              title={t('error.pageLoad')}
              extra={
                <Button type="primary" onClick={reload}>
                  {t('common.retry')}
                </Button>
              }
            />
          )}
        >
          <Suspense
            fallback={
              <Card data-testid="page-loading">
                <Skeleton active paragraph={{ rows: 8 }} />
              </Card>
            }
          >
            <Page me={me} route={route} />
          </Suspense>
        </PageBoundary>
      </Shell>
    )
  }

  return (
    <>
      <ErrorNotifierBridge />
      {body}
    </>
  )
}

function Page({ me, route }: { me: Me; route: Route }) {
  const { t } = useI18n()
  const forbidden = <Result status="403" title={t('common.forbidden')} extra={<HomeButton me={me} />} />
  switch (route.name) {
    case 'regions':
      return route.code ? <RegionsPage key="regions" code={route.code} /> : null
    case 'org':
      return canSeeOrg(me) ? (
        <OrgPage me={me} />
      ) : (
        <Result status="403" title={t('common.forbidden')} extra={<HomeButton me={me} />} />
      )
    case 'audit':
      return canSeeAudit(me) ? (
        <AuditPage />
      ) : (
        <Result status="403" title={t('common.forbidden')} extra={<HomeButton me={me} />} />
      )
    case 'me':
      return <MePage initial={me} />
    case 'services':
      return <ServicesPage me={me} />
    case 'matter':
      return <MatterPage key={route.code} me={me} code={route.code} />
    case 'apply':
      return <ApplyPage key={route.code} me={me} code={route.code} />
    case 'cases':
      return canApply(me) ? <MyCasesPage /> : forbidden
    case 'dataAccess':
      return canSeeOwnDataAccess(me) ? <DataAccessPage canAudit={false} /> : forbidden
    case 'overview':
      return canSeeOverview(me) ? <OverviewPage me={me} /> : forbidden
    case 'case':
      return <CasePage key={route.id} me={me} id={route.id} canAudit={canSeeAudit(me)} />
    case 'workbench':
      return canSeeWorkbench(me) ? <WorkbenchPage me={me} canAudit={canSeeAudit(me)} /> : forbidden
    case 'accessReview':
      return canSeeFlagged(me) ? <AccessReviewPage me={me} canAudit={canSeeAudit(me)} /> : forbidden
    case 'jobs':
      return canSeeJobs(me) ? <JobsPage me={me} /> : forbidden
    case 'open311Keys':
      return canManageOpen311Keys(me) ? <Open311KeysPage me={me} /> : forbidden
    case 'policies':
      return canReadPolicies(me) ? <PoliciesPage me={me} /> : forbidden
    case 'policy':
      return canReadPolicies(me) ? <PolicyKindPage key={route.kind} me={me} kind={route.kind} /> : forbidden
    case 'task':
      return canSeeWorkbench(me) ? (
        <TaskPage key={route.id} id={route.id} canAudit={canSeeAudit(me)} />
      ) : (
        forbidden
      )
    case 'window':
      return canSeeWindow(me) ? (
        <WindowPage me={me} code={route.code} canAudit={canSeeAudit(me)} />
      ) : (
        forbidden
      )
    case 'appealDesk':
      return canSeeAppealDesk(me) ? (
        <AppealDeskPage me={me} id={route.id} canAudit={canSeeAudit(me)} />
      ) : (
        forbidden
      )
    case 'hotline':
      return canTakeCalls(me) ? <HotlinePage me={me} canAudit={canSeeAudit(me)} /> : forbidden
    case 'appealReviews':
      return canSeeAppealReviews(me) ? <AppealReviewsPage me={me} canAudit={canSeeAudit(me)} /> : forbidden
    case 'myAppeals':
      return canFileOwnAppeals(me) ? <MyAppealsPage /> : forbidden
    case 'fileAppeal':
      return canFileOwnAppeals(me) ? <FileAppealPage me={me} /> : forbidden
    case 'myAppeal':
      return canFileOwnAppeals(me) ? <MyAppealPage key={route.id} id={route.id} /> : forbidden
    case 'scorecards':
      return canSeeScorecards(me) ? <ScorecardsPage me={me} /> : forbidden
    case 'promotion':
      return canSeePromotion(me) ? <PromotionPage me={me} /> : forbidden
    case 'whatIf':
      return canRunWhatIf(me) ? <WhatIfPage me={me} /> : forbidden
    case 'desk':
      return canSeeHall(me) ? <DeskPage me={me} /> : forbidden
    case 'hall':
      // Rendered full-bleed by App when allowed; here only the refusal.
      return forbidden
    case 'home':
    case 'login':
    case 'counterRating':
      return null
    case 'notFound':
      return <Result status="404" title={t('common.notFound')} extra={<HomeButton me={me} />} />
  }
}

function HomeButton({ me }: { me: Me }) {
  const { t } = useI18n()
  return (
    <Button type="primary" onClick={() => navigate(homePath(me))}>
      {t('common.backHome')}
    </Button>
  )
}

function Shell({
  me,
  route,
  onLogout,
  children,
}: {
  me: Me
  route: Route
  onLogout: () => void
  children: ReactNode
}) {
  const { t } = useI18n()
  const [collapsed, setCollapsed] = useState(false)
  const [drawerOpen, setDrawerOpen] = useState(false)
  const phone = usePhone()
  const selected = navKey(route)
  const flaggedOpen = useFlaggedCount(flaggedInNav(me))

  const items = useMemo<NonNullable<MenuProps['items']>>(() => {
    const list: NonNullable<MenuProps['items']> = []
    if (canSeeOverview(me)) {
      list.push({
        key: 'overview',
        icon: <DashboardOutlined />,
        label: <span data-testid="nav-overview">{t('nav.overview')}</span>,
      })
    }
    if (canApply(me)) {
      list.push(
        {
          key: 'services',
          icon: <AuditOutlined />,
          label: <span data-testid="nav-services">{t('nav.services')}</span>,
        },
        {
          key: 'cases',
          icon: <ProfileOutlined />,
          label: <span data-testid="nav-cases">{t('nav.cases')}</span>,
        },
      )
    }
    if (canFileOwnAppeals(me)) {
      list.push({
        key: 'my-appeals',
        icon: <MessageOutlined />,
        label: <span data-testid="nav-my-appeals">{t('citizenAppeals.nav')}</span>,
      })
    }
    if (canSeeWorkbench(me)) {
      list.push({
        key: 'workbench',
        icon: <DesktopOutlined />,
        label: <span data-testid="nav-workbench">{t('nav.workbench')}</span>,
      })
    }
    // Staff appeal pages (诉求): the hotline's fast entry, the desk, contests and rectifications.
    if (canTakeCalls(me)) {
      list.push({
        key: 'hotline',
        icon: <PhoneOutlined />,
        label: <span data-testid="nav-hotline">{t('appealsStaff.nav.hotline')}</span>,
      })
    }
    if (canSeeAppealDesk(me)) {
      list.push({
        key: 'appeal-desk',
        icon: <MessageOutlined />,
        label: <span data-testid="nav-appeal-desk">{t('appealsStaff.nav.desk')}</span>,
      })
    }
    if (canSeeAppealReviews(me)) {
      list.push({
        key: 'appeal-reviews',
        icon: <FlagOutlined />,
        label: <span data-testid="nav-appeal-reviews">{t('appealsStaff.nav.reviews')}</span>,
      })
    }
    if (canSeeWindow(me)) {
      list.push(
        {
          key: 'window',
          icon: <ShopOutlined />,
          label: <span data-testid="nav-window">{t('nav.window')}</span>,
        },
        {
          key: 'services',
          icon: <AuditOutlined />,
          label: <span data-testid="nav-services">{t('nav.services')}</span>,
        },
      )
    }
    if (canSeeHall(me)) {
      list.push({
        key: 'desk',
        icon: <FundProjectionScreenOutlined />,
        label: <span data-testid="nav-desk">{t('desk.nav')}</span>,
      })
    }
    if (canSeePromotion(me)) {
      list.push({
        key: 'promotion',
        icon: <TrophyOutlined />,
        label: <span data-testid="nav-promotion">{t('promo.nav')}</span>,
      })
    }
    list.push({
      key: 'regions',
      icon: <GlobalOutlined />,
      label: <span data-testid="nav-regions">{t('nav.regions')}</span>,
    })
    if (canSeeOrg(me)) {
      list.push({
        key: 'org',
        icon: <ApartmentOutlined />,
        label: <span data-testid="nav-org">{t('nav.org')}</span>,
      })
    }
    if (flaggedInNav(me)) {
      list.push({
        key: 'access-review',
        icon: <WarningOutlined />,
        label: (
          <span data-testid="nav-access-review" className="xzt-nav-badged">
            {t('nav.accessReview')}
            <Badge count={flaggedOpen ?? 0} size="small" overflowCount={99} data-testid="nav-flagged-badge" />
          </span>
        ),
      })
    }
    if (canSeeAudit(me)) {
      list.push({
        key: 'audit',
        icon: <SafetyCertificateOutlined />,
        label: <span data-testid="nav-audit">{t('nav.audit')}</span>,
      })
    }
    if (canSeeJobs(me)) {
      list.push({
        key: 'jobs',
        icon: <ClockCircleOutlined />,
        label: <span data-testid="nav-jobs">{t('nav.jobs')}</span>,
      })
    }
    if (canManageOpen311Keys(me)) {
      list.push({
        key: 'open311-keys',
        icon: <ApiOutlined />,
        label: <span data-testid="nav-open311-keys">{t('nav.open311Keys')}</span>,
      })
    }
    if (canSeeScorecards(me)) {
      list.push({
        key: 'scorecards',
        icon: <TrophyOutlined />,
        label: <span data-testid="nav-scorecards">{t('scorecards.nav')}</span>,
      })
    }
    if (canReadPolicies(me)) {
      list.push({
        key: 'policies',
        icon: <ScheduleOutlined />,
        label: <span data-testid="nav-policies">{t('nav.policies')}</span>,
      })
    }
    if (me.kind === 'citizen') {
      // The citizen's own profile (a staff account's identity is in the header).
      list.push({ key: 'me', icon: <UserOutlined />, label: <span data-testid="nav-me">{t('nav.me')}</span> })
    }
    return list
  }, [me, t, flaggedOpen])

  const onMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'regions') navigate(`/regions/${homeRegion(me)}`)
    else navigate(`/${key}`)
  }

  const subtitle =
    me.kind === 'staff'
      ? [me.departmentName, me.regionName].filter(Boolean).join(' · ')
      : `${t('header.citizen')} · ${me.regionName}`

  const brand = (
    <div className="xzt-brand" onClick={() => navigate(homePath(me))} role="link" tabIndex={0}>
      <Logo size={32} />
      {(phone || !collapsed) && <span className="xzt-brand-name">{t('app.name')}</span>}
    </div>
  )
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={items}
      onClick={(info) => {
        setDrawerOpen(false)
        onMenu(info)
      }}
      data-testid="nav"
    />
  )

  return (
    <Layout className={phone ? 'xzt-shell xzt-shell-phone' : 'xzt-shell'} data-testid="shell">
      {phone ? (
        // On a phone the menu slides in over the page instead of taking its width.
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={264}
          closable={false}
          className="xzt-nav-drawer"
          styles={{ body: { padding: 0 } }}
          data-testid="nav-drawer"
        >
          {brand}
          {menu}
        </Drawer>
      ) : (
        <Sider
          breakpoint="lg"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          width={216}
          collapsedWidth={64}
          className="xzt-sider"
        >
          {brand}
          {menu}
        </Sider>
      )}
      <Layout className="xzt-main">
        <Header className="xzt-header">
          {phone ? (
            <Space size={8} className="xzt-header-phone-left">
              <Button
                type="text"
                size="large"
                icon={<MenuOutlined />}
                onClick={() => setDrawerOpen(true)}
                aria-label={t('header.menu')}
                data-testid="nav-open"
                className="xzt-menu-button"
              >
                {t('header.menu')}
              </Button>
            </Space>
          ) : (
            <div className="xzt-header-title">
              <Typography.Text strong className="xzt-header-app">
                {t('app.subtitle')}
              </Typography.Text>
            </div>
          )}
          <Space size={phone ? 4 : 12} className="xzt-header-right">
            <LangSwitch ghost />
            <div
              className="xzt-user"
              data-testid="user-menu"
              onClick={() => me.kind === 'citizen' && navigate('/me')}
            >
              <Avatar size={34} icon={<UserOutlined />} className="xzt-user-avatar" />
              <div className="xzt-user-text">
                <div className="xzt-user-name">{me.name}</div>
                <div className="xzt-user-sub">{subtitle}</div>
              </div>
            </div>
            <Tooltip title={t('header.logout')}>
              <Button
                icon={<LogoutOutlined />}
                onClick={onLogout}
                data-testid="logout"
                aria-label={t('header.logout')}
              >
                <span className="xzt-hide-narrow">{t('header.logout')}</span>
              </Button>
            </Tooltip>
          </Space>
        </Header>
        <Content className="xzt-content">{children}</Content>
        <Layout.Footer className="xzt-footer">
          {t('app.name')} · {t('app.footer')}
        </Layout.Footer>
      </Layout>
    </Layout>
  )
}
