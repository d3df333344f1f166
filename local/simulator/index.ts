export * from './simulator';
export { JOURNEY_KINDS, type JourneyKind } from './journeys';
export { MALFORMATIONS, type Malformation } from './malformed';
export { CONSENT_PROFILES, DEVICE_KINDS, type ConsentProfile, type DeviceKind } from './customers';
export { SENSITIVE_SAMPLES, type SensitiveTopic } from './catalogue';
export { createRng, type Rng } from './prng';
