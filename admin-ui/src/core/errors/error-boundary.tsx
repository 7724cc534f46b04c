import { Button, Result } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

/** Catches a page's rendering failure (or a chunk that failed to load) so the shell stays usable. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    // The browser's console is where a page's crash is recorded for whoever debugs it (the user sees ErrorResult).
    // eslint-disable-next-line no-console
    console.error('console page failed', error, info.componentStack);
  }

  componentDidUpdate(prev: { resetKey?: string }) {
    // Navigating elsewhere gives the next page a fresh start.
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <Result
            status="error"
            title={t('errors.crash.title')}
            subTitle={t('errors.crash.detail')}
            extra={<Button onClick={() => window.location.reload()}>{t('common.reload')}</Button>}
          />
        )}
      </Translation>
    );
  }
}
