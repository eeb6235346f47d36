import type { HitmicBridge } from '../src-shared/api/transport';

declare global {
  interface Window {
    hitmic?: HitmicBridge;
  }
}
