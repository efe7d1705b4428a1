// Who is signed in. The session lives in an HttpOnly cookie the app cannot
// read; GET /api/auth/session tells who it is (and the CSRF token for writes).
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, api, type Session, setCsrfToken } from './api.ts';

type SessionState = {
  session: Session | null;
  loading: boolean;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
};

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);

  const adopt = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken);
    setSession(next);
  }, []);

  useEffect(() => {
    api<Session>('GET', '/api/auth/session')
      .then(adopt)
      .catch((error: unknown) => {
        if (!(error instanceof ApiError && error.status === 401)) console.error(error);
        adopt(null);
      })
      .finally(() => setLoading(false));
  }, [adopt]);

  const login = useCallback(
    async (email: string, password: string) =>
      adopt(await api<Session>('POST', '/api/auth/login', { email, password })),
    [adopt],
  );
  const logout = useCallback(async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    adopt(null);
  }, [adopt]);

  return <SessionContext value={{ session, loading, login, logout }}>{children}</SessionContext>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
