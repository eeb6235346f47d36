import { describe, expect, it } from 'vitest';
import { stageReservation } from './stage-memory';

describe('stageReservation', () => {
  it("uses HiTMicTools' per-stage figures when they fit", () => {
    expect(stageReservation('ASCT_focusrestore', 'classification', { capacityGb: 24 })).toEqual({
      gb: 10,
      timeoutMs: 240_000,
    });
    expect(stageReservation('ASCT_zaslavier', 'classification', { capacityGb: 24 }).gb).toBe(12);
    expect(stageReservation('oof_detection', 'classification', { capacityGb: 24 })).toEqual({
      gb: 6,
      timeoutMs: 180_000,
    });
    expect(stageReservation('ASCT_focusrestore', 'bf_focus', { capacityGb: 24 })).toEqual({
      gb: 4,
      timeoutMs: 120_000,
    });
  });

  it('honours overrides', () => {
    expect(
      stageReservation('ASCT_focusrestore', 'segmentation', {
        capacityGb: 24,
        overrideGb: 2,
        overrideTimeoutS: 5,
      }),
    ).toEqual({ gb: 2, timeoutMs: 5000 });
  });

  it('fits a figure larger than the device instead of waiting forever, and says so', () => {
    const r = stageReservation('ASCT_focusrestore', 'classification', {
      capacityGb: 8,
      modelEstimateGb: 1.5,
    });
    expect(r.gb).toBe(1.5);
    expect(r.warning).toMatch(/10 GB .* exceeds the device's 8.0 GB .* booking 1.50 GB/);
    const noEstimate = stageReservation('ASCT_focusrestore', 'classification', { capacityGb: 8 });
    expect(noEstimate.gb).toBe(7.2);
    expect(noEstimate.warning).toMatch(/90 % of the device/);
  });
});
