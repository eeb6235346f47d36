import { PlannedView } from '../components/PlannedView';

export function ResultsView() {
  return (
    <PlannedView
      title="Results"
      purpose="The per-cell table and the plots microscopists report: counts per class and the PI-positive fraction over time."
      issue="issue #8 (interactive analysis)"
      planned={[
        'sortable, filterable per-cell table',
        'objects per class over time, kill curve (PI-positive fraction), area distributions — exportable as PNG/CSV',
      ]}
    />
  );
}
