import { Alert, AlertTitle, Box, Button } from '@mui/material';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | undefined;
}

/** Shows a rendering error where the view was, instead of a white window. */
export class ErrorBoundary extends Component<{ children: ReactNode; label: string }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`[${this.props.label}]`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Box sx={{ p: 3 }} data-testid="error-boundary">
        <Alert severity="error">
          <AlertTitle>The {this.props.label} view failed to draw</AlertTitle>
          <Box component="pre" sx={{ whiteSpace: 'pre-wrap', fontSize: 12, m: 0 }}>
            {error.message}
          </Box>
          <Button
            sx={{ mt: 1 }}
            variant="outlined"
            color="inherit"
            onClick={() => this.setState({ error: undefined })}
          >
            Try again
          </Button>
        </Alert>
      </Box>
    );
  }
}
