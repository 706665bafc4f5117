// Which webRequest observations the panel gets: Diffusion handshakes, polls and sends, their CORS
// preflights, and requests whose path names diffusion (a misrouted handshake is still worth seeing).
import { diffusionRole, isDiffusionPreflight } from '../core/diffusion/handshake.ts';
import type { RequestObservation } from '../core/model.ts';

export function isDiffusionRelevant(o: RequestObservation): boolean {
  if (diffusionRole(o) !== null || isDiffusionPreflight(o)) return true;
  try {
    return new URL(o.url).pathname.toLowerCase().includes('diffusion');
  } catch {
    return false;
  }
}
