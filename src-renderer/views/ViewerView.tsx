import { PlannedView } from '../components/PlannedView';

export function ViewerView() {
  return (
    <PlannedView
      title="Viewer"
      purpose="Open a movie, scrub through frames and see what restoration and segmentation do on the frame in front of you."
      issue="issue #7 (movie reading) and issue #8 (interactive analysis)"
      planned={[
        'open TIFF, ImageJ hyperstacks, OME-TIFF and per-frame folders by drop or dialog',
        'frame slider with play, channels and overlay, contrast, zoom and pan with the pixel value under the cursor',
        'raw vs restored compare slider; segmentation outlines coloured by class; hover shows label, class, confidence',
      ]}
    />
  );
}
