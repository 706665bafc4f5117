// The banner shown when the browser withholds the inspected site's requests from the extension
// (Firefox asks the user per site): it says what is missing and asks for access with one button.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AccessState } from '../store.ts';

export function AccessBanner({ access }: { access: AccessState | null }): JSX.Element | null {
  const [asking, setAsking] = useState(false);
  const [refused, setRefused] = useState(false);
  if (!access?.missing) return null;
  async function ask(request: () => Promise<boolean>): Promise<void> {
    setAsking(true);
    setRefused(false);
    let granted = false;
    try {
      granted = await request();
    } catch {
      granted = false;
    }
    setAsking(false);
    setRefused(!granted);
  }
  return (
    <div class="access-banner" role="alert" data-testid="access-banner">
      <span class="access-text">
        The extension cannot see this site's requests, so failed WebSocket upgrades, HTTP statuses and headers are missing.
        {refused ? <span data-testid="access-refused"> Access was not granted.</span> : null}
      </span>
      <button type="button" class="tool access-button" disabled={asking} onClick={() => void ask(access.request)} data-testid="access-request">
        Allow access to this site's requests
      </button>
    </div>
  );
}
