import { Box } from '@mui/material';
import type { TestModeOverrideModel } from '../../../src-shared/api';
import { useTestMode } from '../../stores/test-mode';
import { InfererFields } from './InfererFields';

const TITLES: Record<TestModeOverrideModel, string> = {
  bf_focus: 'Restoration, bright field (bf_focus)',
  fl_focus: 'Restoration, PI channel (fl_focus)',
  segmentation: 'Segmentation',
};

/** One model's fields over the collection's; a change re-runs (when live). */
function ModelSettings({ model }: { model: TestModeOverrideModel }) {
  const o = useTestMode((s) => s.overrides[model]);
  const used = useTestMode((s) => s.lastRun?.settings[model]);
  return (
    <InfererFields
      title={TITLES[model]}
      overrides={o}
      used={used}
      onChange={(next) => useTestMode.getState().setOverride(model, next)}
      testIdPrefix={`test-mode-${model}`}
    />
  );
}

/** The tiled models' settings test mode can try without touching the collection. */
export function TestModeSettings() {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="test-mode-settings">
      <ModelSettings model="bf_focus" />
      <ModelSettings model="fl_focus" />
      <ModelSettings model="segmentation" />
    </Box>
  );
}
