import { PlannedView } from '../components/PlannedView';

export function QcView() {
  return (
    <PlannedView
      title="QC gallery"
      purpose="Check every classified cell before you trust the numbers: crops grouped by class, least confident first."
      issue="issue #8 (interactive analysis)"
      planned={[
        'filter by frame range, class, confidence and PI status; click a crop to see it in the Viewer',
        'relabel with keys 1–5 for the five classes; corrections saved beside the run and exported as CSV',
      ]}
    />
  );
}
