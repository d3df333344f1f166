/** The configured location (store, branch) nearest to a point. A linear scan: configs hold tens to hundreds. */
import type { Location } from '../config/types';
import { haversineMeters } from './distance';

export interface Nearest {
  location: Location;
  distanceMeters: number;
}

export function nearestLocation(latitude: number, longitude: number, locations: readonly Location[]): Nearest | undefined {
  let best: Nearest | undefined;
  for (const location of locations) {
    const d = haversineMeters(latitude, longitude, location.latitude, location.longitude);
    if (!best || d < best.distanceMeters) best = { location, distanceMeters: d };
  }
  return best;
}
