import { createTheme, type Theme } from '@mui/material/styles';

/** Light or dark, following the OS; dense controls suit a data-heavy desktop tool. */
export function makeTheme(mode: 'light' | 'dark'): Theme {
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'dark' ? '#7cc4ff' : '#1565c0' },
      secondary: { main: mode === 'dark' ? '#ff8a80' : '#c62828' }, // PI red: dead cells
    },
    typography: { fontSize: 13 },
    components: {
      MuiButton: { defaultProps: { size: 'small' } },
      MuiTextField: { defaultProps: { size: 'small' } },
    },
  });
}
