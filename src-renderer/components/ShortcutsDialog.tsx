import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableRow,
} from '@mui/material';
import { useNavigation } from '../stores/navigation';

const SHORTCUTS: [string, string, string][] = [
  ['Anywhere', '?', 'this list'],
  ['Anywhere', 'drop a file', 'a collection ZIP is imported; a movie opens in the Viewer'],
  ['Viewer', '← / →', 'previous / next frame'],
  ['Viewer', 'Space', 'play / pause'],
  ['Viewer', 'wheel, drag', 'zoom about the cursor, pan'],
  [
    'Viewer',
    'click a cell',
    "select it: its track's lineage, highlighted and followed (centred) while frames change",
  ],
  ['QC', 'double-click a tile', 'show that cell in the Viewer, with its run'],
  ['QC', '1 … 5', 'relabel the selected crop: single-cell, clump, noise, off-focus, joint-cell'],
  ['QC', '← / →', 'previous / next crop'],
  ['Desktop app', 'Ctrl/⌘ O, Ctrl/⌘ I', 'open a movie, import a collection'],
];

export function ShortcutsDialog() {
  const { shortcutsOpen, setShortcutsOpen } = useNavigation();
  return (
    <Dialog
      open={shortcutsOpen}
      onClose={() => setShortcutsOpen(false)}
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-dialog"
    >
      <DialogTitle id="shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Table size="small">
          <TableBody>
            {SHORTCUTS.map(([where, keys, what]) => (
              <TableRow key={`${where}-${keys}`}>
                <TableCell>{where}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{keys}</TableCell>
                <TableCell>{what}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => setShortcutsOpen(false)}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
