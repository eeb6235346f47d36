import {
  AppBar,
  Box,
  CssBaseline,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  ThemeProvider,
  Toolbar,
  Tooltip,
  Typography,
  useMediaQuery,
} from '@mui/material';
import InfoIcon from '@mui/icons-material/InfoOutlined';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import { useEffect, useMemo, useState } from 'react';
import { AboutDialog } from '../components/AboutDialog';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { ErrorDialog } from '../components/ErrorDialog';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { StatusBar } from '../components/StatusBar';
import { DemoDialog } from '../components/TryDemo';
import { useConfig } from '../stores/config';
import { useConnection } from '../stores/connection';
import { useNavigation } from '../stores/navigation';
import { VIEW_ENTRIES } from '../views/registry';
import { handleDroppedFiles } from './drop';
import { makeTheme } from './theme';

const NAV_WIDTH = 188;

export function App() {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)');
  const theme = useMemo(() => makeTheme(prefersDark ? 'dark' : 'light'), [prefersDark]);
  const { view, setView, setAboutOpen, setShortcutsOpen } = useNavigation();
  const status = useConnection((s) => s.status);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLElement &&
        (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
      if (e.key === '?' && !typing) setShortcutsOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setShortcutsOpen]);

  useEffect(() => {
    if (status === 'connected') void useConnection.getState().loadInfo();
  }, [status]);

  // Leaving the page (reload, close, another address) with unsaved config edits asks first; the
  // browser shows its own question, the desktop app a dialog (electron/main.ts).
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      if (!useConfig.getState().dirty) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, []);

  const entry = VIEW_ENTRIES.find((v) => v.id === view) ?? VIEW_ENTRIES[0];
  const View = entry.component;

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Box
        sx={{ display: 'flex', flexDirection: 'column', height: '100vh' }}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void handleDroppedFiles(e.dataTransfer.files);
        }}
      >
        <AppBar
          position="static"
          elevation={0}
          color="default"
          sx={{ borderBottom: 1, borderColor: 'divider' }}
        >
          <Toolbar variant="dense">
            <Typography variant="h6" component="div" sx={{ flex: 1, fontSize: 16 }}>
              HiTMic Studio
            </Typography>
            <Tooltip title="Keyboard shortcuts (?)">
              <IconButton aria-label="Keyboard shortcuts" onClick={() => setShortcutsOpen(true)} size="small">
                <KeyboardIcon />
              </IconButton>
            </Tooltip>
            <Tooltip title="About HiTMic Studio">
              <IconButton aria-label="About" onClick={() => setAboutOpen(true)} size="small">
                <InfoIcon />
              </IconButton>
            </Tooltip>
          </Toolbar>
        </AppBar>
        <Box sx={{ display: 'flex', flex: 1, minHeight: 0 }}>
          <Drawer
            variant="permanent"
            sx={{
              width: NAV_WIDTH,
              flexShrink: 0,
              '& .MuiDrawer-paper': { width: NAV_WIDTH, position: 'relative' },
            }}
          >
            <List component="nav" aria-label="Views" dense>
              {VIEW_ENTRIES.map((v) => (
                <ListItemButton
                  key={v.id}
                  selected={v.id === view}
                  onClick={() => setView(v.id)}
                  data-testid={`nav-${v.id}`}
                >
                  <ListItemIcon sx={{ minWidth: 36 }}>{v.icon}</ListItemIcon>
                  <ListItemText primary={v.label} />
                </ListItemButton>
              ))}
            </List>
          </Drawer>
          <Box
            component="main"
            sx={{ flex: 1, overflow: 'auto', position: 'relative' }}
            data-testid={`view-${entry.id}`}
          >
            <ErrorBoundary key={entry.id} label={entry.label}>
              <View />
            </ErrorBoundary>
            {dragging && (
              <Box
                sx={{
                  position: 'absolute',
                  inset: 8,
                  border: 3,
                  borderStyle: 'dashed',
                  borderColor: 'primary.main',
                  borderRadius: 2,
                  display: 'grid',
                  placeItems: 'center',
                  bgcolor: 'action.hover',
                  pointerEvents: 'none',
                }}
              >
                <Typography variant="h6">Drop a collection ZIP or a movie</Typography>
              </Box>
            )}
          </Box>
        </Box>
        <StatusBar />
      </Box>
      <AboutDialog />
      <ShortcutsDialog />
      <ErrorDialog />
      <ConfirmDialog />
      <DemoDialog />
    </ThemeProvider>
  );
}
