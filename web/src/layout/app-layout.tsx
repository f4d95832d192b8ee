import {
  ApartmentOutlined,
  BarChartOutlined,
  BookOutlined,
  BranchesOutlined,
  CarOutlined,
  CloudServerOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FundOutlined,
  HistoryOutlined,
  IdcardOutlined,
  LogoutOutlined,
  NodeIndexOutlined,
  PhoneOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Spin, Tag, Typography, theme, type MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { Role } from '../api/types';
import { useAuth, useCurrentUser } from '../auth/auth-context';
import { menuPaths, type AppPath } from '../auth/role-access';
import { CtiProvider } from '../cti/cti-context';
import { NotificationBell } from '../pages/activities/notification-bell';
import { LanguageSwitch } from './language-switch';

const roleColors: Record<Role, string> = {
  admin: 'red',
  supervisor: 'gold',
  agent: 'blue',
  sales_manager: 'purple',
  sales: 'green',
};

const menuIcons: Record<AppPath, ReactNode> = {
  '/desk': <CustomerServiceOutlined />,
  '/wallboard': <DashboardOutlined />,
  '/groups': <ApartmentOutlined />,
  '/routing': <BranchesOutlined />,
  '/ivr': <PhoneOutlined />,
  '/trunks': <CloudServerOutlined />,
  '/agent-report': <BarChartOutlined />,
  '/cdrs': <HistoryOutlined />,
  '/customers': <TeamOutlined />,
  '/knowledge': <BookOutlined />,
  '/road-conditions': <NodeIndexOutlined />,
  '/branches': <EnvironmentOutlined />,
  '/contact-records': <FileTextOutlined />,
  '/outings': <CarOutlined />,
  '/opportunities': <FundOutlined />,
  '/employee': <IdcardOutlined />,
};

const menuLabelKeys = {
  '/desk': 'menu.desk',
  '/wallboard': 'menu.wallboard',
  '/groups': 'menu.groups',
  '/routing': 'menu.routing',
  '/ivr': 'menu.ivr',
  '/trunks': 'menu.trunks',
  '/agent-report': 'menu.agentReport',
  '/cdrs': 'menu.cdrs',
  '/customers': 'menu.customers',
  '/knowledge': 'knowledge.menu',
  '/road-conditions': 'menu.roadConditions',
  '/branches': 'menu.branches',
  '/contact-records': 'act.menuRecords',
  '/outings': 'act.menuOutings',
  '/opportunities': 'opp.menu',
  '/employee': 'emp.menu',
} as const;

export function PageFallback() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
      <Spin size="large" />
    </div>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);

  const items: MenuProps['items'] = menuPaths(user).map((path) => ({
    key: path,
    icon: menuIcons[path],
    label: t(menuLabelKeys[path]),
  }));
  const selected = menuPaths(user).find((path) => location.pathname.startsWith(path));

  const onLogout = async () => {
    setLoggingOut(true);
    // RequireAuth sends us to /login once the user is gone.
    await logout();
  };

  return (
    <CtiProvider>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={208}>
          <div style={{ padding: collapsed ? '16px 8px' : '16px 24px', color: '#fff', whiteSpace: 'nowrap' }}>
            <div style={{ fontSize: collapsed ? 14 : 20, fontWeight: 600 }}>{t('app.name')}</div>
            {!collapsed && <div style={{ fontSize: 12, opacity: 0.65 }}>{t('app.subtitle')}</div>}
          </div>
          <Menu
            theme="dark"
            mode="inline"
            items={items}
            selectedKeys={selected ? [selected] : []}
            onClick={({ key }) => void navigate(key)}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{
              background: token.colorBgContainer,
              padding: '0 24px',
              display: 'flex',
              justifyContent: 'flex-end',
              alignItems: 'center',
              borderBottom: `1px solid ${token.colorBorderSecondary}`,
            }}
          >
            <Space size="middle">
              <Space size="small" data-testid="current-user">
                <UserOutlined />
                <Typography.Text strong>{user.displayName}</Typography.Text>
                <Tag color={roleColors[user.role]}>{t(`roles.${user.role}`)}</Tag>
                {user.extension && (
                  <Typography.Text type="secondary">
                    {t('header.extension', { extension: user.extension })}
                  </Typography.Text>
                )}
              </Space>
              <NotificationBell />
              <LanguageSwitch />
              <Button
                data-testid="btn-logout"
                icon={<LogoutOutlined />}
                loading={loggingOut}
                onClick={() => void onLogout()}
              >
                {t('header.logout')}
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: 24 }}>
            <Suspense fallback={<PageFallback />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </CtiProvider>
  );
}
