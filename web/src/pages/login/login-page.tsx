import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../../api/http';
import { useAuth } from '../../auth/auth-context';
import { roleHome } from '../../auth/role-access';
import { FullPageSpin, type LoginRedirectState } from '../../auth/route-guards';
import { LanguageSwitch } from '../../layout/language-switch';

interface LoginForm {
  username: string;
  password: string;
}

function redirectTarget(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('from' in state)) return null;
  const { from } = state as LoginRedirectState;
  // Only same-app paths; "/" means "home", which depends on the role.
  return typeof from === 'string' && from.startsWith('/') && from !== '/' && !from.startsWith('/login')
    ? from
    : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { user, sessionError, login } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // If the session check failed (server unreachable), still offer the form: signing in re-tries the server.
  if (user === undefined && !sessionError) return <FullPageSpin />;
  if (user) return <Navigate to={redirectTarget(location.state) ?? roleHome(user)} replace />;

  const onFinish = async ({ username, password }: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const signedIn = await login(username.trim(), password);
      void navigate(redirectTarget(location.state) ?? roleHome(signedIn), { replace: true });
    } catch (caught) {
      if (isApiError(caught)) {
        if (caught.status === 401) setError(t('login.invalidCredentials'));
        else if (caught.status === 429) setError(t('login.tooManyAttempts'));
        else if (caught.status === 0) setError(t('common.networkError'));
        else setError(t('login.failed', { message: caught.message }));
      } else {
        setError(t('login.failed', { message: caught instanceof Error ? caught.message : String(caught) }));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(160deg, #001529 0%, #0b3a6b 100%)',
        position: 'relative',
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ marginTop: 0, textAlign: 'center' }}>
          {t('login.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('app.subtitle')}
        </Typography.Paragraph>
        {error && (
          <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        <Form<LoginForm> layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              data-testid="login-username"
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              size="large"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              data-testid="login-password"
              prefix={<LockOutlined />}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          <Button
            data-testid="login-submit"
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={submitting}
          >
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
