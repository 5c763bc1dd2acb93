// The enhance handler the organisation pages use for their small per-row forms (change a role,
// revoke, pause, moderate): an optional confirm, a pending key so the row's button can show it is
// busy, the form kept as typed, and the outcome as a toast.
import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { toast } from 'svelte-sonner';

/** Toasts what an action answered: its `done` text, its `message`, or that it crashed. */
export function toastOutcome(result: ActionResult): void {
  if (result.type === 'success' && typeof result.data?.done === 'string') toast.success(result.data.done);
  if (result.type === 'failure') toast.error(String(result.data?.message ?? 'That did not work. Try again.'));
  if (result.type === 'error') toast.error('That did not work just now. Try again in a moment.');
}

/**
 * `act(key, confirmText?)` for `use:enhance`: `setPending(key)` while the action runs, then
 * `setPending(null)`. A component keeps its own `$state` and passes the setter.
 */
export function rowAction(setPending: (key: string | null) => void) {
  return (key: string, confirmText?: string): SubmitFunction =>
    ({ cancel }) => {
      if (confirmText && !confirm(confirmText)) return cancel();
      setPending(key);
      return async ({ result, update }) => {
        await update({ reset: false });
        setPending(null);
        toastOutcome(result);
      };
    };
}
