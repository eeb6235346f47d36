/**
 * Resource control: fair, crash-safe memory reservations on CPU/MPS/CUDA devices, shared with
 * HiTMicTools through its booking files (`memory_bookings_<device>.json` in `$TMPDIR`).
 * Policy and compatibility notes: docs/resources.md.
 */
export { acquireReservation, withReservation, type AcquireOptions, type WaitState } from './acquire';
export {
  decideAdmission,
  totalBookedGb,
  fits,
  type AdmissionPolicy,
  type AdmissionDecision,
  type AdmissionInput,
  type AdmissionWaiter,
} from './admission';
export {
  APP_ID,
  parseBookingFile,
  readBookingFile,
  serializeBookingFile,
  type BookingEntry,
  type BookingFileData,
  type QueueEntry,
} from './booking-file';
export { LOCK_STALE_MS, lockPathFor } from './booking-lock';
export { SHARED_FILE_MODE } from './booking-store';
export { stderrLog, watchBookingFile, type ResourceLog } from './booking-transaction';
export { clockText, MAX_BOOKING_GB, PID_LIMIT } from './booking-values';
export {
  BYTES_PER_GB,
  bookingDirectory,
  bookingFilePath,
  capacityCapFromEnv,
  capacityOrigin,
  deviceTotalGb,
  listDevices,
  normalizeDevice,
  parseNvidiaSmi,
  queryNvidiaSmi,
  type NvidiaSmiGpu,
  resolveCapacityGb,
  type DeviceInfo,
} from './devices';
export * from './errors';
export { Reservation, type ReservationInfo } from './reservation';
export {
  listBookedDevices,
  readBookings,
  type BookingSnapshot,
  type HolderView,
  type WaiterView,
} from './snapshot';
export {
  DEFAULT_STALE_LIMITS,
  removeStaleEntries,
  type StaleLimits,
  type RemovedEntry,
} from './stale-cleanup';
export {
  formatMemorySuffix,
  currentRamFigures,
  processRssBytes,
  MemorySampler,
  RingBuffer,
  type MemorySample,
  type MemoryFigures,
} from './memory-log';
export { stageReservation, type Stage, type StageReservation } from './stage-memory';
export { commandLabel, describeLocalProcess, parsePasswd, type ProcessFacts } from './process-info';
export { processLabel, waitReason, type NamedProcess, type WaitReasonInput } from './wait-reason';
