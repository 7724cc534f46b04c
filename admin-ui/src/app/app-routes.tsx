import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';

// The login page and the signed-in console are separate chunks (and each area below is its own):
// the login page loads none of the console.
const LoginPage = lazy(() => import('../features/auth/login-page'));
const SignedInRoutes = lazy(() => import('./signed-in-routes'));

/** A spinner that needs no UI library, shown while a chunk loads. */
export function ChunkFallback() {
  return <div className="chunk-spinner" role="progressbar" aria-busy="true" />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<ChunkFallback />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/*" element={<SignedInRoutes />} />
      </Routes>
    </Suspense>
  );
}
