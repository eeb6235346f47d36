import type { HitmicBridge } from '../src-shared/api';

declare global {
  interface Window {
    hitmic?: HitmicBridge;
  }
}
