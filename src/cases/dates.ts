/** The fast local dater lives with the other date helpers, in the platform (src/platform/time.ts). */
export { localDater } from '../platform/time.ts';
