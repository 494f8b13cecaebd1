// Externs of the travel app: pure helpers bundled into the services that call them.

/** A hotel's location, as the geo service's city index stores it. */
export interface Place {
  id: string;
  lat: number;
  lon: number;
}

const EARTH_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The ids of the `k` places nearest to (lat, lon) within `maxKm`, nearest first (ties by id,
 * so the answer is deterministic, as an extern must be).
 */
export function nearest(ps: Place[], lat: number, lon: number, k: number, maxKm: number): string[] {
  return ps
    .map((p) => ({ id: p.id, d: distanceKm(lat, lon, p.lat, p.lon) }))
    .filter((p) => p.d <= maxKm)
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, k)
    .map((p) => p.id);
}
