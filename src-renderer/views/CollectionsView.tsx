import { Typography } from '@mui/material';
import { api } from '../app/api';
import { BackendAnswer } from '../components/BackendAnswer';
import { PlannedView } from '../components/PlannedView';

export function CollectionsView() {
  return (
    <PlannedView
      title="Model collections"
      purpose="Drop a collection ZIP anywhere on the window to import it. See what is inside, trust it, and use it in a config."
      issue="issue #4 (model collections and configuration)"
      planned={[
        'import ZIP bundles safely (HiTMicTools layout or per-model folders), with progress and clear refusals',
        'list the library: name, version, date, size, layout, models, verified state',
        'per-model cards: architecture, format, input/output shapes, metadata, checksums, runnable or why not',
        'verify checksums and test tensors; "Use in config"',
      ]}
    >
      <Typography variant="subtitle2">Library</Typography>
      <BackendAnswer
        testId="collections-answer"
        call={() => api.collections.list()}
        render={(list) => `${list.length} collection(s) in the library`}
      />
    </PlannedView>
  );
}
