import { PlannedView } from '../components/PlannedView';

export function RunsView() {
  return (
    <PlannedView
      title="Runs"
      purpose="Run the pipeline over one movie or a folder and follow it stage by stage."
      issue="issue #7 (analysis pipeline)"
      planned={[
        'a queue with per-movie, per-stage progress bars and ETA',
        'logs with memory figures; cancel; open the outputs folder and the results',
      ]}
    />
  );
}
