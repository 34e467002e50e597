// The emulator's public surface for tests and sandbox mode: start it, drive it, know the demo seed.
export { startEmulator, type Emulator, type EmulatorOptions } from './emulator.js';
export { EmulatorControl } from './control.js';
export type { AddEventInput, AddTenantInput, AddUserInput, RegisterAppInput, TimeInput } from './control.js';
export { DEMO, resumeDemo, seedDemo, type DemoSeed, type DemoSeedOptions } from './seed.js';
export { savedPort, StateFileError } from './persistence.js';
export { defaultLimits, type EmulatorLimits, type FaultSpec } from './state.js';
export { generateTlsMaterial, type TlsMaterial } from './tls.js';
