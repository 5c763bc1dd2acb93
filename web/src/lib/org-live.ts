// Live pages of the organisation area: the database announces learner activity and assignment
// progress on the private topic org:<organisation id> (staff only; identifiers only). A page
// reacts by reloading its data through the server (RLS as the user), a burst settling into one
// reload; every (re)join reloads too, so a dropped connection never leaves stale numbers.
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import { browserClient } from './supabase.ts';

export const ORG_LIVE = 'app:org-live';

export interface OrgLiveEvent {
  event: 'learner_activity' | 'assignment_progress';
  payload: Record<string, unknown>;
}

/**
 * Joins org:<orgId> and calls `onEvent` for each announcement, `onStatus` with whether the page
 * is live, and reloads the data of every page that `depends(ORG_LIVE)`. Returns the stop function.
 */
export function watchOrganisation(orgId: string, opts: { onEvent?: (e: OrgLiveEvent) => void; onStatus?: (live: boolean) => void } = {}): () => void {
  const supabase = browserClient();
  let channel: ReturnType<typeof supabase.channel> | undefined;
  let settle: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const reloadSoon = () => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      // Never during a navigation: SvelteKit lets a later invalidate supersede it, which would
      // keep the person on this page after they clicked away. The next page loads fresh anyway.
      if (!stopped && !navigating.to) invalidate(ORG_LIVE);
    }, 250);
  };
  const on = (event: OrgLiveEvent['event']) => (msg: { payload?: unknown }) => {
    const payload = msg.payload && typeof msg.payload === 'object' ? (msg.payload as Record<string, unknown>) : {};
    opts.onEvent?.({ event, payload });
    reloadSoon();
  };

  (async () => {
    await supabase.realtime.setAuth();
    if (stopped) return;
    channel = supabase
      .channel(`org:${orgId}`, { config: { private: true } })
      .on('broadcast', { event: 'learner_activity' }, on('learner_activity'))
      .on('broadcast', { event: 'assignment_progress' }, on('assignment_progress'))
      .subscribe((status) => {
        const live = status === 'SUBSCRIBED';
        opts.onStatus?.(live);
        if (live) reloadSoon();
      });
  })();

  return () => {
    stopped = true;
    clearTimeout(settle);
    if (channel) supabase.removeChannel(channel);
  };
}
