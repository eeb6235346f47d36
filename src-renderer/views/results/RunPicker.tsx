import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import { Box, Button, TextField } from '@mui/material';
import { locationFromPath } from '../../../src-shared/results';
import { useResults } from '../../stores/results';

/**
 * Which run to look at: its output folder and the movie name (the prefix of `{movie}_fl.csv`).
 * Pasting the path of an output file (`…/demo_movie_fl.csv`) fills both.
 */
export function RunPicker({ onLoad, busy, testId }: { onLoad: () => void; busy: boolean; testId: string }) {
  const { outputDir, movie, setLocation } = useResults();
  const onDir = (v: string) => {
    const loc = locationFromPath(v);
    if (loc) setLocation(loc.outputDir, loc.movie);
    else setLocation(v, movie);
  };
  return (
    <Box
      component="form"
      sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center', mb: 2 }}
      onSubmit={(e) => {
        e.preventDefault();
        onLoad();
      }}
    >
      <TextField
        size="small"
        label="Run output folder (or a …_fl.csv path)"
        value={outputDir}
        onChange={(e) => onDir(e.target.value)}
        sx={{ flex: '1 1 380px' }}
        slotProps={{ htmlInput: { 'data-testid': `${testId}-dir`, spellCheck: false } }}
      />
      <TextField
        size="small"
        label="Movie"
        value={movie}
        onChange={(e) => setLocation(outputDir, e.target.value)}
        sx={{ width: 220 }}
        slotProps={{ htmlInput: { 'data-testid': `${testId}-movie`, spellCheck: false } }}
      />
      <Button
        type="submit"
        variant="contained"
        startIcon={<FolderOpenIcon />}
        disabled={busy || !outputDir.trim() || !movie.trim()}
        data-testid={`${testId}-load`}
      >
        Load
      </Button>
    </Box>
  );
}
