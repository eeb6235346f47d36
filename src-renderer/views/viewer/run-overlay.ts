import { useEffect } from 'react';
import { useViewer } from '../../stores/viewer';

/** Keeps the run overlay's labels in step with the frame shown. */
export function useRunOverlayFrame(frame: number | undefined): void {
  const overlay = useViewer((s) => s.runOverlay);
  useEffect(() => {
    if (overlay && frame !== undefined) void useViewer.getState().loadRunFrame(frame);
  }, [overlay, frame]);
}
