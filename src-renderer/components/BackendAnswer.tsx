import { Alert, CircularProgress } from '@mui/material';
import { useEffect, useState } from 'react';

/**
 * Calls the backend once and shows its answer or its error verbatim, so a view that is not
 * finished still proves the round trip and tells the truth about what exists.
 */
export function BackendAnswer<T>({ call, render, testId }: { call: () => Promise<T>; render: (v: T) => React.ReactNode; testId: string }) {
  const [state, setState] = useState<{ value?: T; error?: { message: string; code?: string } }>();
  useEffect(() => {
    let live = true;
    call().then(
      (value) => live && setState({ value }),
      (e: { message?: string; code?: string }) => live && setState({ error: { message: e?.message ?? String(e), code: e?.code } }),
    );
    return () => {
      live = false;
    };
  }, []); // the call is fixed for the life of the component
  if (!state) return <CircularProgress size={18} data-testid={`${testId}-loading`} />;
  if (state.error) {
    return (
      <Alert severity={state.error.code === 'NOT_AVAILABLE' ? 'warning' : 'error'} data-testid={testId}>
        Backend: {state.error.message}
      </Alert>
    );
  }
  return <div data-testid={testId}>{render(state.value as T)}</div>;
}
