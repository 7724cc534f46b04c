import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from '../core/auth/auth-context';

// The login page and the signed-in console are separate chunks (and each area below is its own):
// the login page loads none of the console.
const LoginPage = lazy(() => import('../features/auth/login-page'));
const SignedInRoutes = lazy(() => import('./signed-in-routes'));

/** A spinner that needs no UI library, shown while a chunk loads. */
export function ChunkFallback() {
  return <div className="chunk-spinner" role="progressbar" aria-busy="true" />;
}

/** Without a session, straight to the login page, before any of the console's code loads. */
function RequireToken({ children }: { children: ReactNode }) {
  const { token } = useAuth();
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<ChunkFallback />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="/*"
          element={
            <RequireToken>
              <SignedInRoutes />
            </RequireToken>
          }
        />
      </Routes>
    </Suspense>
  );
}
