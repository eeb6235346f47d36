import { PlannedView } from '../components/PlannedView';

export function ConfigView() {
  return (
    <PlannedView
      title="Config"
      purpose="Write the HiTMicTools run config that uses your collection: a form and the YAML side by side, checked as you type."
      issue="issue #4 (model collections and configuration)"
      planned={[
        'form for pipeline setup and model settings, in sync with a YAML editor',
        'diagnostics underlined at the right line, with a suggested fix',
        'open, save, save as; new config from a template or from a collection',
      ]}
    />
  );
}
