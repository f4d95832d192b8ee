import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fetchMe, login as apiLogin, logout as apiLogout } from '../api/auth-api';
import { isApiError, setUnauthorizedListener } from '../api/http';
import type { User } from '../api/types';

export interface AuthValue {
  /** undefined while the session is being checked, null when signed out. */
  user: User | null | undefined;
  /** The session check itself failed (server unreachable), as opposed to "not signed in". */
  sessionError: Error | null;
  /** Ask the server again whether the cookie is still a session (e.g. after the CTI socket was refused). */
  recheckSession: () => void;
  login: (username: string, password: string) => Promise<User>;
  /**
   * True after an explicit logout: the next person at this desk should land on their own home page,
   * not on the page the previous user was reading (unlike an expired session, where we return there).
   */
  signedOutByUser: boolean;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

async function fetchSessionUser(): Promise<User | null> {
  try {
    return await fetchMe();
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [sessionError, setSessionError] = useState<Error | null>(null);
  const [signedOutByUser, setSignedOutByUser] = useState(false);
  const [check, setCheck] = useState(0);

  useEffect(() => {
    let cancelled = false;
    fetchSessionUser().then(
      (sessionUser) => {
        if (cancelled) return;
        setSessionError(null);
        setUser(sessionUser);
      },
      (error: unknown) => {
        if (cancelled) return;
        setSessionError(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [check]);

  const signOutLocally = useCallback(() => {
    setUser(null);
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => {
    setUnauthorizedListener(signOutLocally);
    return () => setUnauthorizedListener(null);
  }, [signOutLocally]);

  const recheckSession = useCallback(() => setCheck((n) => n + 1), []);

  const login = useCallback(
    async (username: string, password: string) => {
      const signedIn = await apiLogin(username, password);
      queryClient.clear();
      setSessionError(null);
      setSignedOutByUser(false);
      setUser(signedIn);
      return signedIn;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      setSignedOutByUser(true);
      signOutLocally();
    }
  }, [signOutLocally]);

  const value = useMemo<AuthValue>(
    () => ({ user, sessionError, signedOutByUser, recheckSession, login, logout }),
    [user, sessionError, signedOutByUser, recheckSession, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** For pages inside the signed-in layout, where a user is guaranteed. */
export function useCurrentUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useCurrentUser used outside a signed-in route');
  return user;
}
